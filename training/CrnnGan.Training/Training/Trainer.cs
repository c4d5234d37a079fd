using System.Diagnostics;
using CrnnGan.Inference.Randomness;
using CrnnGan.Inference.Statistics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CrnnGan.Training.Training;

/// <summary>
/// Trains a C-RNN-GAN one epoch at a time, whichever family its <see cref="Family"/> part is: maximum-likelihood
/// pretraining of the generator, then the game with the paper's freezing rule, then validation and the sampled
/// songs' statistics. Everything random is seeded, and all of its state (networks, optimisers, random generators,
/// epochs done) goes into a <see cref="Checkpoint"/>, which restores it through <see cref="Restore"/>. A trainer owns
/// the process's LibTorch random state (dropout draws from it, with no generator of its own): train with one trainer
/// per process.
/// </summary>
public sealed class Trainer : IDisposable
{
    private const ulong ValidationStream = 0x76616C6964UL;
    private (IWindows Training, IWindows Validation)? _data;

    /// <summary>Each of the generator optimiser's groups' learning rate, as a multiple of the generator's.</summary>
    private readonly double[] _generatorFactors = [1];

    public Trainer(GanFamily family)
    {
        LibTorchKernels.UseAtenLstm();
        Family = family;
        var byTable = Generator.named_parameters().ToLookup(p => family.StartsAtZero(p.name), p => p.parameter);
        if (byTable[true].Any() && Settings.TableLearningRateFactor != 1)
        {
            _generatorFactors = [1, Settings.TableLearningRateFactor];
            GeneratorOptimizer = Game.Optimizer(
                Settings,
                [
                    [.. byTable[false]],
                    [.. byTable[true]],
                ],
                _generatorFactors,
                Settings.GeneratorLearningRate
            );
        }
        else
            GeneratorOptimizer = Game.Optimizer(Settings, Generator.parameters(), Settings.GeneratorLearningRate);
        DiscriminatorOptimizer = Game.Optimizer(Settings, Discriminator.parameters(), Settings.DiscriminatorLearningRate);
        DataRandom = new SeededRandom(Settings.Seed);
    }

    /// <summary>A new run's trainer, its family chosen by the settings (<see cref="GanFamily.New"/>).</summary>
    public static Trainer Create(TrainingSettings settings, Device device, IReadOnlyList<Song> training) =>
        new(GanFamily.New(settings, device, training));

    public GanFamily Family { get; }

    /// <summary>
    /// The family part as <typeparamref name="T"/>, for a tool that works with one family alone; <paramref name="use"/> says
    /// what needs it.
    /// </summary>
    /// <exception cref="ArgumentException">The trainer's family is another.</exception>
    public T FamilyAs<T>(string use)
        where T : GanFamily => Family as T ?? throw new ArgumentException($"{use}; this checkpoint is of the {Settings.Model.Family} family.");

    public TrainingSettings Settings => Family.Settings;

    public Device Device => Family.Device;

    public nn.Module Generator => Family.Generator;

    public nn.Module Discriminator => Family.Discriminator;

    public OptimizerHelper GeneratorOptimizer { get; }

    public OptimizerHelper DiscriminatorOptimizer { get; }

    /// <summary>Draws the training windows and their order.</summary>
    public SeededRandom DataRandom { get; private set; }

    public int EpochsDone { get; private set; }

    /// <summary>Songs trained on, for a run's first line.</summary>
    public int TrainingSongs => _data?.Training.Count ?? 0;

    /// <summary>The loop's state as a checkpoint saved it (the networks, optimisers and LibTorch's random state are loaded apart).</summary>
    public void Restore(int epochsDone, SeededRandom dataRandom) => (EpochsDone, DataRandom) = (epochsDone, dataRandom);

    /// <summary>The songs the next epochs train and validate on.</summary>
    public void UseData(IReadOnlyList<Song> training, IReadOnlyList<Song> validation) =>
        _data = (Family.Windows(training, training: true), Family.Windows(validation, training: false));

    /// <param name="progress">Receives (batches done, batches in the epoch, the batch's losses).</param>
    public EpochResult RunEpoch(IProgress<(int Done, int Total, LossSummary Losses)>? progress = null)
    {
        var (training, validation) = _data ?? throw new InvalidOperationException("No data to train on: call UseData first.");
        var epoch = EpochsDone;
        var length = Family.WindowLength(epoch);
        var pretraining = Settings.IsPretraining(epoch);
        var batches = training.BatchesPerEpoch(Settings.BatchSize);
        if (batches == 0)
            throw new InvalidOperationException(Family.TooFew(training));
        foreach (var (group, factor) in GeneratorOptimizer.ParamGroups.Zip(_generatorFactors))
            group.LearningRate = Settings.GeneratorLearningRateAt(epoch) * factor;

        var clock = Stopwatch.StartNew();
        Generator.train(pretraining || Settings.GeneratorDropoutInGame);
        Discriminator.train();
        var losses = new LossAverage();
        int discriminatorSkipped = 0,
            generatorSkipped = 0;
        foreach (var batch in training.Epoch(Settings.BatchSize, length, DataRandom))
        {
            using var scope = NewDisposeScope();
            var real = batch(Device);
            if (pretraining)
            {
                losses.Add(new LossSummary(PretrainingStep(real), null, null, null));
            }
            else
            {
                var (game, likelihood) = Family.GameLosses(real, epoch);
                var (discriminatorUpdated, generatorUpdated) = Game.Update(
                    game,
                    Settings,
                    Generator,
                    GeneratorOptimizer,
                    Discriminator,
                    DiscriminatorOptimizer
                );
                losses.Add(game.Summary(likelihood));
                discriminatorSkipped += discriminatorUpdated ? 0 : 1;
                generatorSkipped += generatorUpdated ? 0 : 1;
            }
            progress?.Report((losses.Count, batches, losses.Last));
        }

        var trainingSeconds = clock.Elapsed.TotalSeconds;
        var validationLosses = Validate(validation, length, pretraining);
        var statistics = StatisticSummary
            .Of([.. Sample(Settings.StatisticsSamples, Settings.Seed ^ ValidationStream).Select(ToneStatistics.Of)])
            .ToDictionary(s => s.Name, s => s.Mean);
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

    private double PretrainingStep(Tensor real)
    {
        var loss = Family.PretrainingLoss(real);
        GeneratorOptimizer.zero_grad();
        loss.backward();
        nn.utils.clip_grad_norm_(Generator.parameters(), Settings.MaxGradientNorm);
        GeneratorOptimizer.step();
        return loss.item<float>();
    }

    /// <summary>
    /// Losses on one fixed window per validation song, without dropout and without learning. Each batch's tensors are freed
    /// with its losses taken: kept to the end, a game on 400-tone windows peaked at 21.8 GB here.
    /// </summary>
    private LossSummary Validate(IWindows validation, int length, bool pretraining)
    {
        var batchSize = Math.Min(Settings.BatchSize, validation.Count);
        if (batchSize == 0)
            return LossSummary.None;
        using var noGrad = no_grad();
        Generator.eval();
        Discriminator.eval();
        var source = new torch.Generator(Settings.Seed ^ ValidationStream, Device);
        var losses = new LossAverage();
        foreach (var batch in validation.Epoch(batchSize, length, new SeededRandom(Settings.Seed ^ ValidationStream)))
        {
            using var scope = NewDisposeScope();
            losses.Add(Family.ValidationLosses(batch(Device), pretraining, EpochsDone, source));
        }
        return losses.Mean;
    }

    /// <summary>Songs of <see cref="TrainingSettings.SequenceLength"/> steps from fixed noise, without dropout, decoded to tones.</summary>
    public IReadOnlyList<IReadOnlyList<Tone>> Sample(int count, ulong seed) => Family.Sample(count, seed);

    public void Dispose()
    {
        Family.Dispose();
        GeneratorOptimizer.Dispose();
        DiscriminatorOptimizer.Dispose();
    }
}
