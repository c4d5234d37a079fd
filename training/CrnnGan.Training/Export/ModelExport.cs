using CrnnGan.Inference.Storage;
using static TorchSharp.torch;

namespace CrnnGan.Training.Export;

/// <summary>
/// Checkpoint → model.onnx: builds the graph, loads it in ONNX Runtime and checks parity with TorchSharp on
/// a temporary file, and only then renames it into place. A failed export leaves nothing at the output path.
/// </summary>
public static class ModelExport
{
    public const int ParitySteps = 256;

    /// <param name="defaultTemperature">The tone family: the sampling temperature a consumer uses when a request names none.</param>
    /// <param name="lengthTemperature">The tone family: the length head's sampling temperature.</param>
    /// <param name="quantize">The tone family: write the model with int8 weights (<see cref="Int8Quantizer"/>), once both parities pass.</param>
    public static (ModelMetadata Metadata, IReadOnlyList<ParityReport> Parity, QuantizedParity? Quantized) Run(
        string checkpoint,
        string output,
        float defaultTemperature = 1f,
        float lengthTemperature = 1f,
        bool quantize = false
    )
    {
        var info = Checkpoint.ReadInfo(checkpoint);
        using var trainer = Checkpoint.Load(checkpoint, CPU);
        var (settings, family) = (trainer.Settings, trainer.Family);
        var m = settings.Model;
        var metadata = new ModelMetadata(
            family.Encoding(defaultTemperature, lengthTemperature),
            m.Noise,
            m.HiddenSize,
            m.Layers,
            info.Data,
            info.EpochsDone,
            settings.Seed,
            info.CodeVersion
        );
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
                parity = [family.Parity(written, 1, ParitySteps, settings.Seed), family.Parity(written, 8, ParitySteps, settings.Seed + 1)];
                if (parity.FirstOrDefault(p => !p.Passed) is { } failed)
                    throw new InvalidDataException($"The exported graph does not compute what TorchSharp computes: {failed}.");
                if (quantize)
                {
                    (var model, quantized) = Int8Quantizer.QuantizeChecked(written, settings.Seed);
                    File.WriteAllBytes(temporary, model);
                    metadata = metadata with { Weights = Int8Quantizer.Weights };
                }
            }
        );
        return (metadata, parity, quantized);
    }
}
