using CrnnGan.Inference.Generation.Encodings;
using CrnnGan.Inference.Generation.Steps;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace CrnnGan.Inference.Generation;

/// <summary>
/// An exported C-RNN-GAN generator loaded in ONNX Runtime, ready to run its step loop. It validates the
/// model's metadata and signature on load, proves its execution provider with a warm-up run, and is safe
/// for concurrent callers: each <see cref="Run"/> has its own buffers, bound once, and the step loop
/// allocates no managed memory. On CUDA the recurrent state never leaves the device.
/// </summary>
public sealed partial class GeneratorSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly OrtMemoryInfo? _stateMemory;

    private GeneratorSession(
        InferenceSession session,
        ModelMetadata metadata,
        ExecutionProvider provider,
        string providerReason,
        OrtMemoryInfo? stateMemory
    )
    {
        _session = session;
        Metadata = metadata;
        Provider = provider;
        ProviderReason = providerReason;
        _stateMemory = stateMemory;
    }

    /// <summary>What the model says about itself: its family's encoding, sizes and training.</summary>
    public ModelMetadata Metadata { get; }

    /// <summary>The provider in use: <see cref="ExecutionProvider.Cpu"/> or <see cref="ExecutionProvider.Cuda"/>.</summary>
    public ExecutionProvider Provider { get; }

    /// <summary>Why <see cref="Provider"/> is in use, in a sentence's words.</summary>
    public string ProviderReason { get; }

    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">Not an ONNX model, or not a generator this library can run; the message says why.</exception>
    public static GeneratorSession Open(string path, GeneratorSessionOptions? options = null, ILogger? logger = null)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"There is no model at {path}.", path);
        return Load(File.ReadAllBytes(path), options, logger, path);
    }

    /// <inheritdoc cref="Open"/>
    public static GeneratorSession Load(byte[] model, GeneratorSessionOptions? options = null, ILogger? logger = null, string name = "the model")
    {
        options ??= GeneratorSessionOptions.Default;
        logger ??= NullLogger.Instance;
        if (options.Provider != ExecutionProvider.Cpu && CudaPrerequisites.Missing() is { Count: > 0 } missing)
        {
            var reason = $"CUDA libraries not found: {string.Join(", ", missing)}";
            if (options.Provider == ExecutionProvider.Cuda)
                throw new InvalidOperationException(
                    $"The CUDA execution provider is not available: {reason}. Install them (see README) or use the CPU."
                );
            LogCpuChosen(logger, name, reason);
            return Create(model, options, ExecutionProvider.Cpu, name, $"auto chose the CPU: {reason}");
        }
        if (options.Provider != ExecutionProvider.Cpu)
        {
            try
            {
                return Create(
                    model,
                    options,
                    ExecutionProvider.Cuda,
                    name,
                    $"{options.Provider} chose CUDA: its libraries load and the device ran the warm-up"
                );
            }
            catch (Exception e)
                when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException && options.Provider == ExecutionProvider.Auto)
            {
                LogCudaUnavailable(logger, name, FirstLine(e.Message));
                return Create(model, options, ExecutionProvider.Cpu, name, $"auto chose the CPU: CUDA failed ({FirstLine(e.Message)})");
            }
            catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
            {
                throw new InvalidOperationException($"The CUDA execution provider is not available: {FirstLine(e.Message)}", e);
            }
        }
        return Create(model, options, ExecutionProvider.Cpu, name, "the CPU was asked for");
    }

    private static GeneratorSession Create(byte[] model, GeneratorSessionOptions options, ExecutionProvider provider, string name, string reason)
    {
        using var sessionOptions = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (options.IntraOpThreads > 0)
            sessionOptions.IntraOpNumThreads = options.IntraOpThreads;
        sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", options.AllowSpinning ? "1" : "0");
        OrtMemoryInfo? stateMemory = null;
        if (provider == ExecutionProvider.Cuda)
        {
            sessionOptions.AppendExecutionProvider_CUDA(options.CudaDevice);
            sessionOptions.AddSessionConfigEntry("session.disable_cpu_ep_fallback", "1");
            stateMemory = new OrtMemoryInfo(OrtMemoryInfo.allocatorCUDA, OrtAllocatorType.DeviceAllocator, options.CudaDevice, OrtMemType.Default);
        }

        InferenceSession session;
        try
        {
            session = new InferenceSession(model, sessionOptions);
        }
        catch (OnnxRuntimeException e) when (provider == ExecutionProvider.Cpu)
        {
            throw new InvalidDataException($"{name} is not a valid ONNX model: {FirstLine(e.Message)}", e);
        }

        try
        {
            var metadata = ModelMetadata.Parse(session.ModelMetadata.CustomMetadataMap);
            CheckSignature(session, metadata);
            var generator = new GeneratorSession(session, metadata, provider, reason, stateMemory);
            // The warm-up proves the provider (a CUDA session can fail only when it first runs).
            generator.RunRows([metadata.Encoding.Row(new GenerationRequest(), 0, 1)]);
            return generator;
        }
        catch
        {
            session.Dispose();
            stateMemory?.Dispose();
            throw;
        }
    }

    /// <summary>The graph's inputs and outputs are the contract's: the encoding's, noise and the recurrent state.</summary>
    private static void CheckSignature(InferenceSession session, ModelMetadata metadata)
    {
        var (encoding, l, h) = (metadata.Encoding, metadata.Layers, metadata.HiddenSize);
        Expect(session.InputMetadata, "input", new(ModelContract.Noise, TensorElementType.Float, [metadata.NoiseSize]));
        foreach (var input in encoding.Inputs)
            Expect(session.InputMetadata, "input", input);
        foreach (var output in encoding.Outputs)
            Expect(session.OutputMetadata, "output", output);
        foreach (
            var (values, kind, names) in new[]
            {
                (session.InputMetadata, "input", new[] { ModelContract.Hidden, ModelContract.Cell }),
                (session.OutputMetadata, "output", [ModelContract.HiddenOut, ModelContract.CellOut]),
            }
        )
        {
            foreach (var name in names)
                ExpectShape(values, kind, name, TensorElementType.Float, [l, -1, h]);
        }

        // A step value's shape is per song: the graph's has the symbolic batch dimension (-1) before it.
        static void Expect(IReadOnlyDictionary<string, NodeMetadata> values, string kind, SongEncoding.StepValue value) =>
            ExpectShape(values, kind, value.Name, value.Type, [-1, .. value.Shape]);

        static void ExpectShape(IReadOnlyDictionary<string, NodeMetadata> values, string kind, string name, TensorElementType type, long[] shape)
        {
            if (!values.TryGetValue(name, out var value))
                throw new InvalidDataException($"The model has no {kind} '{name}': it does not follow the C-RNN-GAN step contract.");
            var actual = value.Dimensions.Select(d => (long)d).ToArray();
            if (value.ElementDataType != type || actual.Length != shape.Length || actual.Zip(shape).Any(p => p.Second >= 0 && p.First != p.Second))
                throw new InvalidDataException(
                    $"The model's {kind} '{name}' is [{string.Join(", ", actual)}], not "
                        + $"[{string.Join(", ", shape.Select(s => s < 0 ? "batch" : $"{s}"))}] of {type}."
                );
        }
    }

    /// <summary>
    /// Runs the step loop for <paramref name="batch"/> songs and returns their steps in model units,
    /// [batch, primer steps + <paramref name="steps"/>, features]. Song i draws its noise from seeds[i] alone:
    /// first the random "previous output" of step 0, then each step's noise, spread around 0.5 by
    /// <paramref name="noiseScale"/> (1 is the trained distribution). A primer, [primer steps, features] in
    /// model units, is fed in as the previous outputs of its steps, and stands in the result as given.
    /// </summary>
    public float[] Run(int batch, int steps, ReadOnlySpan<ulong> seeds, float noiseScale, float[]? primer)
    {
        var encoding = Metadata.EncodingAs<ContinuousEncoding>("Run (use RunTones for the tone family)");
        var rows = Rows(batch, seeds, seed => encoding.Row(seed, steps, noiseScale, primer));
        RunRows(rows);
        return [.. rows.SelectMany(r => r.Result)];
    }

    /// <summary>
    /// Runs a tone model's step loop (contract versions 2 to 9) for <paramref name="batch"/> songs and returns their tones
    /// as class indices, [batch, primer tones + <paramref name="steps"/>, heads]. Song i draws from seeds[i] alone:
    /// at each step its noise (spread around 0.5 by <paramref name="noiseScale"/>), then one uniform number per head (and,
    /// with ascending chords, more from a stream of its own), with which <see cref="ToneSampler.DrawTone"/> draws the tone at
    /// <paramref name="temperature"/> within the nucleus <paramref name="topP"/>. A primer, [primer tones, heads], is fed
    /// back in place of the draws of its steps and stands in the result as given.
    /// </summary>
    public int[] RunTones(int batch, int steps, ReadOnlySpan<ulong> seeds, float temperature, float noiseScale, int[]? primer, float topP = 1f)
    {
        var encoding = Metadata.EncodingAs<ToneEncoding>("RunTones (use Run for the paper's model)");
        var rows = Rows(batch, seeds, seed => encoding.Row(seed, steps, temperature, noiseScale, primer, topP));
        RunRows(rows);
        return [.. rows.SelectMany(r => r.Result)];
    }

    private static TRow[] Rows<TRow>(int batch, ReadOnlySpan<ulong> seeds, Func<ulong, TRow> row)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        if (seeds.Length != batch)
            throw new ArgumentException($"{seeds.Length} seeds for {batch} songs.", nameof(seeds));
        var rows = new TRow[batch];
        for (var i = 0; i < rows.Length; i++)
            rows[i] = row(seeds[i]);
        return rows;
    }

    /// <summary>
    /// Runs rows of one length as one batch. Three bindings, made once: the first step reads zero state; then steps
    /// alternate between writing state B from A and A from B, so that no step binds or allocates anything.
    /// </summary>
    internal void RunRows(SongRow[] rows)
    {
        var (batch, layers, h) = (rows.Length, Metadata.Layers, Metadata.HiddenSize);
        long[] stateShape = [layers, batch, h];
        var buffers = new StepBuffers(Metadata, batch);
        using var zeroHidden = OrtValue.CreateTensorValueFromMemory(new float[layers * batch * h], stateShape);
        using var zeroCell = OrtValue.CreateTensorValueFromMemory(new float[layers * batch * h], stateShape);
        using var state = new StateBuffers(_session, _stateMemory, stateShape);
        using var start = buffers.Bind(_session, batch, zeroHidden, zeroCell, state.HiddenA, state.CellA);
        using var odd = buffers.Bind(_session, batch, state.HiddenA, state.CellA, state.HiddenB, state.CellB);
        using var even = buffers.Bind(_session, batch, state.HiddenB, state.CellB, state.HiddenA, state.CellA);
        using var runOptions = new RunOptions();
        for (var t = 0; t < rows[0].Steps; t++)
        {
            for (var i = 0; i < batch; i++)
                rows[i].Prepare(buffers, i);
            _session.RunWithBinding(
                runOptions,
                (
                    t == 0 ? start
                    : t % 2 == 1 ? odd
                    : even
                ).Binding
            );
            for (var i = 0; i < batch; i++)
                rows[i].Take(buffers, i);
        }
    }

    /// <summary>The ONNX Runtime session, for <see cref="StepScheduler"/>'s own step loop.</summary>
    internal InferenceSession Onnx => _session;

    [LoggerMessage(Level = LogLevel.Information, Message = "Generating {Model} on the CPU ({Reason}).")]
    private static partial void LogCpuChosen(ILogger logger, string model, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "CUDA is not available for {Model} ({Reason}); generating on CPU.")]
    private static partial void LogCudaUnavailable(ILogger logger, string model, string reason);

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    /// <summary>Releases the ONNX Runtime session and its buffers.</summary>
    public void Dispose()
    {
        _session.Dispose();
        _stateMemory?.Dispose();
    }

    /// <summary>Two sets of recurrent state, in host memory or, on CUDA, on the device.</summary>
    private sealed class StateBuffers : IDisposable
    {
        private readonly OrtAllocator? _allocator;

        public StateBuffers(InferenceSession session, OrtMemoryInfo? device, long[] shape)
        {
            if (device is null)
            {
                var size = (int)(shape[0] * shape[1] * shape[2]);
                (HiddenA, CellA, HiddenB, CellB) = (Host(), Host(), Host(), Host());
                OrtValue Host() => OrtValue.CreateTensorValueFromMemory(new float[size], shape);
            }
            else
            {
                _allocator = new OrtAllocator(session, device);
                (HiddenA, CellA, HiddenB, CellB) = (Device(), Device(), Device(), Device());
                OrtValue Device() => OrtValue.CreateAllocatedTensorValue(_allocator, TensorElementType.Float, shape);
            }
        }

        public OrtValue HiddenA { get; }

        public OrtValue CellA { get; }

        public OrtValue HiddenB { get; }

        public OrtValue CellB { get; }

        public void Dispose()
        {
            HiddenA.Dispose();
            CellA.Dispose();
            HiddenB.Dispose();
            CellB.Dispose();
            _allocator?.Dispose();
        }
    }
}
