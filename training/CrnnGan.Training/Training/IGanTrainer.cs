using CrnnGan.Inference.Features;
using CrnnGan.Inference.Music;
using CrnnGan.Inference.Randomness;
using CrnnGan.Training.Export;
using CrnnGan.Training.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CrnnGan.Training.Training;

/// <summary>
/// What a run, a checkpoint and the exporter need of a trainer, whichever model family it trains: the paper's
/// continuous steps (<see cref="Trainer"/>) or one tone of categorical heads per step (<see cref="ToneTrainer"/>).
/// </summary>
public interface IGanTrainer : IDisposable
{
    TrainingSettings Settings { get; }

    nn.Module Generator { get; }

    nn.Module Discriminator { get; }

    OptimizerHelper GeneratorOptimizer { get; }

    OptimizerHelper DiscriminatorOptimizer { get; }

    /// <summary>Draws the training windows and their order.</summary>
    SeededRandom DataRandom { get; set; }

    int EpochsDone { get; set; }

    /// <summary>The songs the next epochs train and validate on.</summary>
    void UseData(IReadOnlyList<Song> training, IReadOnlyList<Song> validation);

    /// <param name="progress">Receives (batches done, batches in the epoch, the batch's losses).</param>
    EpochResult RunEpoch(IProgress<(int Done, int Total, LossSummary Losses)>? progress = null);

    /// <summary>Songs of <see cref="TrainingSettings.SequenceLength"/> steps from fixed noise, without dropout, decoded to tones.</summary>
    IReadOnlyList<IReadOnlyList<Tone>> Sample(int count, ulong seed);

    /// <summary>Songs trained on, for a run's first line.</summary>
    int TrainingSongs { get; }

    /// <summary>
    /// A fresh trainer for the settings' model family. The tone family chooses its bins from <paramref name="training"/>,
    /// or takes bins and generator from <see cref="TrainingSettings.GeneratorFrom"/>: a checkpoint, or an exported model.
    /// </summary>
    static IGanTrainer Create(TrainingSettings settings, Device device, IReadOnlyList<Song> training)
    {
        if (settings.Model.Family != ModelFamily.Tones)
            return new Trainer(settings, device);
        if (settings.GeneratorFrom is null)
        {
            var m = settings.Model;
            var bins = ToneVocabulary.FromSongs(training.Select(s => s.Tones), m.TimeBins, m.LengthBins, m.VelocityBins);
            return new ToneTrainer(settings, bins, device);
        }
        if (Path.GetExtension(settings.GeneratorFrom).Equals(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            var onnx = File.ReadAllBytes(settings.GeneratorFrom);
            var imported = new ToneTrainer(settings, OnnxImport.Metadata(onnx).Vocabulary!, device);
            OnnxImport.LoadWeights(onnx, imported.Generator);
            return imported;
        }
        using var from =
            Checkpoint.Load(settings.GeneratorFrom, device) as ToneTrainer
            ?? throw new ArgumentException($"generator_from: {settings.GeneratorFrom} is not a checkpoint of the tone family.");
        if (from.Settings.Model != settings.Model)
            throw new ArgumentException($"generator_from: {settings.GeneratorFrom} has other model settings ({from.Settings.Model}).");
        var trainer = new ToneTrainer(settings, from.Vocabulary, device);
        trainer.Generator.load_state_dict(from.Generator.state_dict());
        return trainer;
    }
}
