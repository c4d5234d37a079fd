using CrnnGan.Inference.Generation;
using CrnnGan.Inference.Storage;
using CrnnGan.Training.Training;
using static TorchSharp.torch;

namespace CrnnGan.Training.Export;

/// <summary>
/// Checkpoint → model.onnx: builds the graph, loads it in ONNX Runtime and checks parity with TorchSharp on
/// a temporary file, and only then renames it into place. A failed export leaves nothing at the output path.
/// </summary>
public static class ModelExport
{
    public const int ParitySteps = 256;

    public static (ModelMetadata Metadata, IReadOnlyList<ParityReport> Parity) Run(string checkpoint, string output)
    {
        var info = Checkpoint.ReadInfo(checkpoint);
        using var loaded = Checkpoint.Load(checkpoint, CPU);
        var trainer = (Trainer)loaded;
        var settings = trainer.Settings;
        var metadata = ModelMetadata.For(
            settings.Model.Layout, settings.Model.FeatureScale, settings.Model.Noise, settings.Model.HiddenSize, settings.Model.Layers,
            info.Data, info.EpochsDone, settings.Seed, info.CodeVersion);
        var onnx = OnnxExporter.Export(trainer.Generator, metadata);

        var fullOutput = Path.GetFullPath(output);
        IReadOnlyList<ParityReport> parity = [];
        AtomicFile.Write(fullOutput, temporary =>
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
            parity =
            [
                ParityCheck.Run(trainer.Generator, written, batch: 1, ParitySteps, settings.Seed),
                ParityCheck.Run(trainer.Generator, written, batch: 8, ParitySteps, settings.Seed + 1),
            ];
            if (parity.FirstOrDefault(p => !p.Passed) is { } failed)
                throw new InvalidDataException($"The exported graph does not compute what TorchSharp computes: {failed}.");
        });
        return (metadata, parity);
    }
}
