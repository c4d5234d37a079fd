using System.Diagnostics;
using CrnnGan.Inference.Features;
using CrnnGan.Inference.Music;
using CrnnGan.Inference.Randomness;
using CrnnGan.Inference.Statistics;
using CrnnGan.Training.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Generator = CrnnGan.Training.Model.Generator;

namespace CrnnGan.Training.Training;

/// <summary>
/// Trains C-RNN-GAN one epoch at a time: maximum-likelihood pretraining of the generator with teacher
/// forcing, then adversarial training with the paper's freezing rule. Everything random is seeded, and all
/// of its state (networks, optimisers, random generators, epochs done) goes into a <see cref="Checkpoint"/>.
/// A trainer owns the process's LibTorch random state (dropout draws from it, with no generator of its
/// own): train with one trainer per process.
/// </summary>
public sealed class Trainer : IGanTrainer
{
    private const ulong ValidationStream = 0x76616C6964UL;

    public Trainer(TrainingSettings settings, Device device)
    {
        Settings = settings;
        Device = device;
        random.manual_seed((long)settings.Seed);
        Generator = new Generator(settings.Model);
        Discriminator = new Discriminator(settings.Model);
        Generator.to(device);
        Discriminator.to(device);
        GeneratorOptimizer = Game.Optimizer(settings, Generator.parameters(), settings.GeneratorLearningRate);
        DiscriminatorOptimizer = Game.Optimizer(settings, Discriminator.parameters(), settings.DiscriminatorLearningRate);
        DataRandom = new SeededRandom(settings.Seed);
    }

    public TrainingSettings Settings { get; }

    public Device Device { get; }

    public Generator Generator { get; }

    public Discriminator Discriminator { get; }

    public OptimizerHelper GeneratorOptimizer { get; }

    public OptimizerHelper DiscriminatorOptimizer { get; }

    /// <summary>Draws the training windows and their order.</summary>
    public SeededRandom DataRandom { get; set; }

    nn.Module IGanTrainer.Generator => Generator;

    nn.Module IGanTrainer.Discriminator => Discriminator;

    public int TrainingSongs => _data?.Training.Count ?? 0;

    private (SongWindows Training, SongWindows Validation)? _data;

    public void UseData(IReadOnlyList<Song> training, IReadOnlyList<Song> validation) =>
        _data = (new SongWindows(training, Settings.Model), new SongWindows(validation, Settings.Model));

    public EpochResult RunEpoch(IProgress<(int Done, int Total, LossSummary Losses)>? progress = null) =>
        _data is { } data
            ? RunEpoch(data.Training, data.Validation, progress)
            : throw new InvalidOperationException("No data to train on: call UseData first.");

    public int EpochsDone { get; set; }

    /// <param name="progress">Receives (batches done, batches in the epoch, the batch's losses).</param>
    public EpochResult RunEpoch(SongWindows training, SongWindows validation, IProgress<(int Done, int Total, LossSummary Losses)>? progress = null)
    {
        var epoch = EpochsDone;
        var length = Settings.SequenceLengthAt(epoch);
        var pretraining = Settings.IsPretraining(epoch);
        var batches = training.BatchesPerEpoch(Settings.BatchSize);
        if (batches == 0)
            throw new InvalidOperationException($"{training.Count} training songs do not fill one batch of {Settings.BatchSize}.");

        foreach (var group in GeneratorOptimizer.ParamGroups)
            group.LearningRate = Settings.GeneratorLearningRateAt(epoch);

        var clock = Stopwatch.StartNew();
        Generator.train(pretraining || Settings.GeneratorDropoutInGame);
        Discriminator.train();
        var losses = new LossAverage();
        int discriminatorSkipped = 0,
            generatorSkipped = 0;
        foreach (var values in training.Batches(Settings.BatchSize, length, DataRandom))
        {
            using var scope = NewDisposeScope();
            var real = training.ToTensor(values, length, Device);
            if (pretraining)
            {
                losses.Add(new LossSummary(PretrainingStep(real), null, null, null));
            }
            else
            {
                var step = AdversarialStep(real);
                losses.Add(step.Losses);
                discriminatorSkipped += step.DiscriminatorUpdated ? 0 : 1;
                generatorSkipped += step.GeneratorUpdated ? 0 : 1;
            }
            progress?.Report((losses.Count, batches, losses.Last));
        }

        var trainingSeconds = clock.Elapsed.TotalSeconds;
        var validationLosses = Validate(validation, length, pretraining);
        var statistics = SampleStatistics();
        EpochsDone++;
        return new EpochResult(
            EpochsDone,
            pretraining ? "pretraining" : "adversarial",
            length,
            losses.Count,
            losses.Mean,
            validationLosses,
            discriminatorSkipped,
            generatorSkipped,
            clock.Elapsed.TotalSeconds,
            trainingSeconds,
            losses.Count * Settings.BatchSize / trainingSeconds,
            Game.PeakMemoryMegabytes(),
            statistics
        );
    }

    /// <summary>Teacher forcing: the generator predicts each real step from the real step before it.</summary>
    private double PretrainingStep(Tensor real)
    {
        var (noise, first) = Noise(real.shape[0], real.shape[1]);
        var loss = Losses.Pretraining(Generator.PredictNext(noise, real, first), real);
        GeneratorOptimizer.zero_grad();
        loss.backward();
        nn.utils.clip_grad_norm_(Generator.parameters(), Settings.MaxGradientNorm);
        GeneratorOptimizer.step();
        return loss.item<float>();
    }

    private (LossSummary Losses, bool DiscriminatorUpdated, bool GeneratorUpdated) AdversarialStep(Tensor real)
    {
        var (noise, first) = Noise(real.shape[0], real.shape[1]);
        var generated = Generator.call(noise, first);
        if (Settings.RoundGeneratedPitch)
            generated = RoundPitch(generated, Settings.Model);

        // One discriminator pass reads the real and the (detached) generated songs together: L_D trains the
        // discriminator alone. A second pass over the generated songs carries the generator's gradient.
        var batch = real.shape[0];
        var both = Discriminator.Features(cat([real, generated.detach()], 0));
        var realFeatures = both.narrow(0, 0, batch);
        var game = GameLosses(realFeatures, both.narrow(0, batch, batch), Discriminator.Features(generated));

        var (updateDiscriminator, updateGenerator) = Game.Update(
            game,
            Settings,
            Generator,
            GeneratorOptimizer,
            Discriminator,
            DiscriminatorOptimizer
        );
        return (game.Summary(pretraining: null), updateDiscriminator, updateGenerator);
    }

    /// <summary>Pitches rounded to semitones going forward, unchanged going back (straight through).</summary>
    public static Tensor RoundPitch(Tensor generated, ModelSettings model)
    {
        var pitch = Enumerable.Range(0, model.TonesPerStep).Select(StepLayout.PitchIndex).ToArray();
        var semitone = tensor(model.FeatureScale, device: generated.device);
        var isPitch = tensor([.. Enumerable.Range(0, model.Features).Select(pitch.Contains)], device: generated.device);
        var rounded = where(isPitch, (generated / semitone).round() * semitone, generated);
        return generated + (rounded - generated).detach();
    }

    private GameLoss GameLosses(Tensor realFeatures, Tensor generatedForDiscriminator, Tensor generatedFeatures) =>
        Game.Losses(Discriminator.Logits, realFeatures, generatedForDiscriminator, generatedFeatures, Settings.GeneratorLoss);

    /// <summary>Losses on one fixed window per validation song, without dropout and without learning.</summary>
    private LossSummary Validate(SongWindows validation, int length, bool pretraining)
    {
        var batchSize = Math.Min(Settings.BatchSize, validation.Count);
        if (batchSize == 0)
            return LossSummary.None;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Generator.eval();
        Discriminator.eval();
        var noiseSource = new torch.Generator(Settings.Seed ^ ValidationStream, Device);
        var losses = new LossAverage();
        foreach (var values in validation.Batches(batchSize, length, new SeededRandom(Settings.Seed ^ ValidationStream)))
        {
            var real = validation.ToTensor(values, length, Device);
            var (noise, first) = Noise(real.shape[0], real.shape[1], noiseSource);
            var pretrainingLoss = Losses.Pretraining(Generator.PredictNext(noise, real, first), real).item<float>();
            if (pretraining)
            {
                losses.Add(new LossSummary(pretrainingLoss, null, null, null));
                continue;
            }
            var generatedFeatures = Discriminator.Features(Generator.call(noise, first));
            losses.Add(GameLosses(Discriminator.Features(real), generatedFeatures, generatedFeatures).Summary(pretrainingLoss));
        }
        return losses.Mean;
    }

    /// <summary>
    /// Songs of <see cref="TrainingSettings.SequenceLength"/> steps from fixed noise, without dropout, decoded
    /// to tones: the same noise every epoch, so the statistics show how the generator changes.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<Tone>> Sample(int count, ulong seed)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Generator.eval();
        var (noise, first) = Noise(count, Settings.SequenceLength, new torch.Generator(seed, Device));
        var steps = Generator.call(noise, first).cpu().data<float>().ToArray();
        return StepEncoder.DecodeModelSteps(steps, count, Settings.Model.Layout, Settings.Model.FeatureScale);
    }

    private Dictionary<string, double> SampleStatistics() =>
        StatisticSummary
            .Of([.. Sample(Settings.StatisticsSamples, Settings.Seed ^ ValidationStream).Select(ToneStatistics.Of)])
            .ToDictionary(s => s.Name, s => s.Mean);

    /// <summary>z ~ U[0,1) for every step, and the uniform random "previous output" before the first step.</summary>
    private (Tensor Noise, Tensor First) Noise(long batch, long steps, torch.Generator? source = null) =>
        (
            rand([batch, steps, Settings.Model.Noise], generator: source, device: Device),
            rand([batch, Settings.Model.Features], generator: source, device: Device)
        );

    public void Dispose()
    {
        Generator.Dispose();
        Discriminator.Dispose();
        GeneratorOptimizer.Dispose();
        DiscriminatorOptimizer.Dispose();
    }
}
