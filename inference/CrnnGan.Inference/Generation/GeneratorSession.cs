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
            if (metadata.IsToneModel)
                generator.RunTones(1, 1, [0], 1f, 1f, null);
            else
                generator.Run(1, 1, [0], 1f, null);
            return generator;
        }
        catch
        {
            session.Dispose();
            stateMemory?.Dispose();
            throw;
        }
    }

    private static void CheckSignature(InferenceSession session, ModelMetadata metadata)
    {
        void Expect(IReadOnlyDictionary<string, NodeMetadata> values, string kind, string name, params long[] shape) =>
            ExpectOf(values, kind, name, TensorElementType.Float, shape);

        void ExpectOf(IReadOnlyDictionary<string, NodeMetadata> values, string kind, string name, TensorElementType type, params long[] shape)
        {
            if (!values.TryGetValue(name, out var value))
                throw new InvalidDataException($"The model has no {kind} '{name}': it does not follow the C-RNN-GAN step contract.");
            var actual = value.Dimensions.Select(d => (long)d).ToArray();
            // -1 stands for the symbolic batch dimension.
            if (value.ElementDataType != type || actual.Length != shape.Length || actual.Zip(shape).Any(p => p.Second >= 0 && p.First != p.Second))
                throw new InvalidDataException(
                    $"The model's {kind} '{name}' is [{string.Join(", ", actual)}], not "
                        + $"[{string.Join(", ", shape.Select(s => s < 0 ? "batch" : $"{s}"))}] of {type}."
                );
        }

        if (metadata.Vocabulary is { } vocabulary)
        {
            var sizes = vocabulary.Sizes;
            ExpectOf(session.InputMetadata, "input", ModelContract.PreviousTone, TensorElementType.Int64, -1, sizes.Count);
            for (var k = 0; k < sizes.Count; k++)
                Expect(session.OutputMetadata, "output", ModelContract.Logits(Features.ToneVocabulary.Heads[k]), -1, sizes[k]);
            Expect(session.InputMetadata, "input", ModelContract.Noise, -1, metadata.NoiseSize);
            Expect(session.InputMetadata, "input", ModelContract.Hidden, metadata.Layers, -1, metadata.HiddenSize);
            Expect(session.InputMetadata, "input", ModelContract.Cell, metadata.Layers, -1, metadata.HiddenSize);
            Expect(session.OutputMetadata, "output", ModelContract.HiddenOut, metadata.Layers, -1, metadata.HiddenSize);
            Expect(session.OutputMetadata, "output", ModelContract.CellOut, metadata.Layers, -1, metadata.HiddenSize);
            return;
        }

        var (f, n, l, h) = (metadata.Features, metadata.NoiseSize, metadata.Layers, metadata.HiddenSize);
        Expect(session.InputMetadata, "input", ModelContract.Noise, -1, n);
        Expect(session.InputMetadata, "input", ModelContract.Previous, -1, f);
        Expect(session.InputMetadata, "input", ModelContract.Hidden, l, -1, h);
        Expect(session.InputMetadata, "input", ModelContract.Cell, l, -1, h);
        Expect(session.OutputMetadata, "output", ModelContract.Output, -1, f);
        Expect(session.OutputMetadata, "output", ModelContract.HiddenOut, l, -1, h);
        Expect(session.OutputMetadata, "output", ModelContract.CellOut, l, -1, h);
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
        if (Metadata.IsToneModel)
            throw new InvalidOperationException("Run needs the paper's continuous model (contract version 1); use RunTones for the tone family.");
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        if (seeds.Length != batch)
            throw new ArgumentException($"{seeds.Length} seeds for {batch} songs.", nameof(seeds));
        var (f, n, layers, h) = (Metadata.Features, Metadata.NoiseSize, Metadata.Layers, Metadata.HiddenSize);
        if (primer is not null && primer.Length % f != 0)
            throw new ArgumentException($"A primer of {primer.Length} values is not whole steps of {f} features.", nameof(primer));
        var primerSteps = primer is null ? 0 : primer.Length / f;
        var total = primerSteps + steps;
        var result = new float[batch * total * f];

        var randoms = new Randomness.SeededRandom[batch];
        for (var i = 0; i < batch; i++)
            randoms[i] = new Randomness.SeededRandom(seeds[i]);

        long[] stepShape = [batch, f],
            noiseShape = [batch, n],
            stateShape = [layers, batch, h];
        var noise = new float[batch * n];
        float[] outputA = new float[batch * f],
            outputB = new float[batch * f],
            first = new float[batch * f];
        for (var i = 0; i < batch; i++)
            randoms[i].Fill(first.AsSpan(i * f, f));
        var zeros = new float[layers * batch * h];

        using var noiseValue = OrtValue.CreateTensorValueFromMemory(noise, noiseShape);
        using var firstValue = OrtValue.CreateTensorValueFromMemory(first, stepShape);
        using var outputAValue = OrtValue.CreateTensorValueFromMemory(outputA, stepShape);
        using var outputBValue = OrtValue.CreateTensorValueFromMemory(outputB, stepShape);
        using var zeroHidden = OrtValue.CreateTensorValueFromMemory(zeros, stateShape);
        using var zeroCell = OrtValue.CreateTensorValueFromMemory((float[])zeros.Clone(), stateShape);
        using var state = new StateBuffers(_session, _stateMemory, stateShape);

        // Three bindings, made once: the first step reads zero state and the random start; then steps
        // alternate between writing A from B and B from A, so that no step binds or allocates anything.
        using var start = Bind(noiseValue, firstValue, zeroHidden, zeroCell, outputAValue, state.HiddenA, state.CellA);
        using var odd = Bind(noiseValue, outputAValue, state.HiddenA, state.CellA, outputBValue, state.HiddenB, state.CellB);
        using var even = Bind(noiseValue, outputBValue, state.HiddenB, state.CellB, outputAValue, state.HiddenA, state.CellA);
        using var runOptions = new RunOptions();

        for (var t = 0; t < total; t++)
        {
            for (var i = 0; i < batch; i++)
                FillNoise(randoms[i], noise.AsSpan(i * n, n), noiseScale);
            _session.RunWithBinding(
                runOptions,
                t == 0 ? start
                    : t % 2 == 1 ? odd
                    : even
            );

            var output = t % 2 == 0 ? outputA : outputB;
            for (var i = 0; i < batch; i++)
            {
                var step = output.AsSpan(i * f, f);
                if (t < primerSteps)
                    primer.AsSpan(t * f, f).CopyTo(step);
                step.CopyTo(result.AsSpan((i * total + t) * f, f));
            }
        }
        return result;
    }

    /// <summary>One step's noise: uniform on [0, 1), spread around 0.5 by <paramref name="scale"/>.</summary>
    private static void FillNoise(Randomness.SeededRandom random, Span<float> noise, float scale)
    {
        random.Fill(noise);
        if (scale != 1f)
        {
            foreach (ref var value in noise)
                value = 0.5f + scale * (value - 0.5f);
        }
    }

    private OrtIoBinding Bind(
        OrtValue noise,
        OrtValue previous,
        OrtValue hidden,
        OrtValue cell,
        OrtValue output,
        OrtValue hiddenOut,
        OrtValue cellOut
    )
    {
        var binding = _session.CreateIoBinding();
        binding.BindInput(ModelContract.Noise, noise);
        binding.BindInput(ModelContract.Previous, previous);
        binding.BindInput(ModelContract.Hidden, hidden);
        binding.BindInput(ModelContract.Cell, cell);
        binding.BindOutput(ModelContract.Output, output);
        binding.BindOutput(ModelContract.HiddenOut, hiddenOut);
        binding.BindOutput(ModelContract.CellOut, cellOut);
        return binding;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Generating {Model} on the CPU ({Reason}).")]
    private static partial void LogCpuChosen(ILogger logger, string model, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "CUDA is not available for {Model} ({Reason}); generating on CPU.")]
    private static partial void LogCudaUnavailable(ILogger logger, string model, string reason);

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

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
