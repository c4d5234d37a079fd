using CrnnGan.Inference.Storage;
using static TorchSharp.torch;

namespace CrnnGan.Training.Export;

/// <summary>
/// Checkpoint (or exported model) → model.onnx: builds the graph, loads it in ONNX Runtime and checks parity with TorchSharp on
/// a temporary file, and only then renames it into place. A failed export leaves nothing at the output path.
/// </summary>
public static class ModelExport
{
    public const int ParitySteps = 256;

    /// <param name="defaultTemperature">The tone family: the sampling temperature a consumer uses when a request names none.</param>
    /// <param name="lengthTemperature">The tone family: the length head's sampling temperature.</param>
    /// <param name="quantize">The tone family: write the model with int8 weights (<see cref="Int8Quantizer"/>), once both parities pass.</param>
    /// <param name="timeInStep">
    /// A tone generator whose pitch reads the time: its step draws the time (contract version 8); false, the host draws it from a row per
    /// time class (version 7), for a host that reads versions up to 7.
    /// </param>
    public static (ModelMetadata Metadata, IReadOnlyList<ParityReport> Parity, QuantizedParity? Quantized) Run(
        string checkpoint,
        string output,
        float defaultTemperature = 1f,
        float lengthTemperature = 1f,
        bool quantize = false,
        bool timeInStep = true
    )
    {
        var info = Checkpoint.ReadInfo(checkpoint);
        using var trainer = Checkpoint.Load(checkpoint, CPU);
        var (settings, family) = (trainer.Settings, trainer.Family);
        var m = settings.Model;
        var metadata = new ModelMetadata(
            InContract(family.Encoding(defaultTemperature, lengthTemperature), timeInStep),
            m.Noise,
            m.HiddenSize,
            m.Layers,
            info.Data,
            info.EpochsDone,
            settings.Seed,
            info.CodeVersion
        );
        return Write(family, metadata, settings.Seed, output, quantize);
    }

    /// <summary>
    /// An exported fp32 tone model written again in the contract <paramref name="timeInStep"/> chooses (as <see cref="Run"/>), its
    /// weights imported into a generator of <paramref name="settings"/>' model (<see cref="OnnxImport"/>), its metadata (training and
    /// sampling defaults) kept: a model whose checkpoint is gone moves to another contract version, checked against TorchSharp as an
    /// export from its checkpoint is.
    /// </summary>
    public static (ModelMetadata Metadata, IReadOnlyList<ParityReport> Parity, QuantizedParity? Quantized) FromModel(
        string model,
        string settings,
        string output,
        bool quantize = false,
        bool timeInStep = true
    )
    {
        var onnx = File.ReadAllBytes(model);
        var metadata = OnnxImport.Metadata(onnx);
        var encoding = OnnxImport.Encoding(onnx);
        var training = TrainingSettings.Load(settings);
        using var family = new ToneGan(training, encoding.Vocabulary, CPU, encoding.MeteredShare);
        OnnxImport.LoadWeights(onnx, family.TypedGenerator);
        var contract = InContract(encoding with { TimeInStep = family.TypedGenerator.PitchGivenTime }, timeInStep);
        return Write(family, metadata with { Encoding = contract }, metadata.Seed, output, quantize);
    }

    private static SongEncoding InContract(SongEncoding encoding, bool timeInStep) =>
        !timeInStep && encoding is ToneEncoding { TimeInStep: true } tones ? tones with { TimeInStep = false } : encoding;

    private static (ModelMetadata Metadata, IReadOnlyList<ParityReport> Parity, QuantizedParity? Quantized) Write(
        GanFamily family,
        ModelMetadata metadata,
        ulong seed,
        string output,
        bool quantize
    )
    {
        if (metadata.SamplingProblem() is { } problem)
            throw new ArgumentException(problem);
        var onnx = family.Export(metadata);

        var fullOutput = Path.GetFullPath(output);
        IReadOnlyList<ParityReport> parity = [];
        QuantizedParity? quantized = null;
        AtomicFile.Write(
            fullOutput,
            temporary =>
            {
                try
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(fullOutput)!);
                    File.WriteAllBytes(temporary, onnx);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new IOException($"Cannot write {fullOutput}: {e.Message}", e);
                }
                // Parity is checked on the bytes as written and read back, batch 1 and batch > 1.
                var written = File.ReadAllBytes(temporary);
                parity = [family.Parity(written, 1, ParitySteps, seed), family.Parity(written, 8, ParitySteps, seed + 1)];
                if (parity.FirstOrDefault(p => !p.Passed) is { } failed)
                    throw new InvalidDataException($"The exported graph does not compute what TorchSharp computes: {failed}.");
                if (quantize)
                {
                    (var model, quantized) = Int8Quantizer.QuantizeChecked(written, seed);
                    File.WriteAllBytes(temporary, model);
                    metadata = metadata with { Weights = Int8Quantizer.Weights };
                }
            }
        );
        return (metadata, parity, quantized);
    }
}
