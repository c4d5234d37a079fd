using System.Diagnostics;
using CrnnGan.Inference.Features;
using CrnnGan.Inference.Music;
using CrnnGan.Inference.Randomness;
using CrnnGan.Inference.Statistics;
using CrnnGan.Training.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CrnnGan.Training.Training;

/// <summary>
/// Trains the tone family one epoch at a time: maximum-likelihood pretraining (cross-entropy of each head, teacher
/// forcing), then the adversarial game. In the game the generator runs free, feeding back its own hard samples
/// (Gumbel-max, an exact draw from its softmax), while the discriminator reads the same draws relaxed,
/// softmax((logits + Gumbel noise) / τ), with τ annealed (RelGAN), or as exact one-hots with the relaxed gradient
/// (straight through). A weighted likelihood term can keep the generator near the data. As <see cref="Trainer"/>,
/// everything random is seeded and it owns the process's LibTorch random state.
/// </summary>
public sealed class ToneTrainer : IGanTrainer
{
    private const ulong ValidationStream = 0x76616C6964UL;
    private (ToneWindows Training, ToneWindows Validation)? _data;

    public ToneTrainer(TrainingSettings settings, ToneVocabulary vocabulary, Device device)
    {
        Settings = settings;
        Vocabulary = vocabulary;
        Device = device;
        random.manual_seed((long)settings.Seed);
        Generator = new ToneGenerator(settings.Model, vocabulary.Sizes);
        Discriminator = new ToneDiscriminator(settings.Model, vocabulary.Sizes);
        Generator.to(device);
        Discriminator.to(device);
        GeneratorOptimizer = Game.Optimizer(settings, Generator.parameters(), settings.GeneratorLearningRate);
        DiscriminatorOptimizer = Game.Optimizer(settings, Discriminator.parameters(), settings.DiscriminatorLearningRate);
        DataRandom = new SeededRandom(settings.Seed);
    }

    public TrainingSettings Settings { get; }

    public ToneVocabulary Vocabulary { get; }

    public Device Device { get; }

    public ToneGenerator Generator { get; }

    public ToneDiscriminator Discriminator { get; }

    public OptimizerHelper GeneratorOptimizer { get; }

    public OptimizerHelper DiscriminatorOptimizer { get; }

    public SeededRandom DataRandom { get; set; }

    public int EpochsDone { get; set; }

    nn.Module IGanTrainer.Generator => Generator;

    nn.Module IGanTrainer.Discriminator => Discriminator;

    public int TrainingSongs => _data?.Training.Count ?? 0;

    public void UseData(IReadOnlyList<Song> training, IReadOnlyList<Song> validation) =>
        _data = (
            new ToneWindows(training, Vocabulary, Settings.SequenceLength, Settings.KeyNormalisation),
            new ToneWindows(validation, Vocabulary, Settings.SequenceLength, Settings.KeyNormalisation)
        );

    public EpochResult RunEpoch(IProgress<(int Done, int Total, LossSummary Losses)>? progress = null)
    {
        var (training, validation) = _data ?? throw new InvalidOperationException("No data to train on: call UseData first.");
        var epoch = EpochsDone;
        var pretraining = Settings.IsPretraining(epoch);
        var temperature = Settings.GumbelTemperatureAt(epoch);
        var batches = training.BatchesPerEpoch(Settings.BatchSize);
        if (batches == 0)
            throw new InvalidOperationException(
                $"{training.Count} training songs of {Settings.SequenceLength} tones or more do not fill one batch of {Settings.BatchSize}."
            );
        foreach (var group in GeneratorOptimizer.ParamGroups)
            group.LearningRate = Settings.GeneratorLearningRateAt(epoch);

        var clock = Stopwatch.StartNew();
        Generator.train(pretraining || Settings.GeneratorDropoutInGame);
        Discriminator.train();
        var losses = new LossAverage();
        int discriminatorSkipped = 0,
            generatorSkipped = 0;
        foreach (var values in training.Batches(Settings.BatchSize, DataRandom))
        {
            using var scope = NewDisposeScope();
            var real = ToneWindows.ToTensor(values, Settings.SequenceLength, Device);
            if (pretraining)
            {
                losses.Add(new LossSummary(PretrainingStep(real), null, null, null));
            }
            else
            {
                var step = AdversarialStep(real, temperature);
                losses.Add(step.Losses);
                discriminatorSkipped += step.DiscriminatorUpdated ? 0 : 1;
                generatorSkipped += step.GeneratorUpdated ? 0 : 1;
            }
            progress?.Report((losses.Count, batches, losses.Last));
        }

        var trainingSeconds = clock.Elapsed.TotalSeconds;
        var validationLosses = Validate(validation, pretraining);
        var statistics = StatisticSummary
            .Of([.. Sample(Settings.StatisticsSamples, Settings.Seed ^ ValidationStream).Select(ToneStatistics.Of)])
            .ToDictionary(s => s.Name, s => s.Mean);
        EpochsDone++;
        return new EpochResult(
            EpochsDone,
            pretraining ? "pretraining" : "adversarial",
            Settings.SequenceLength,
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

    /// <summary>
    /// The mean over heads of each head's cross-entropy, predicting every real tone from the real tone before it
    /// (the start tone before the first): the generator's negative log-likelihood per tone ÷ 4.
    /// </summary>
    public Tensor Likelihood(Tensor real, torch.Generator? source = null)
    {
        var (batch, steps) = (real.shape[0], real.shape[1]);
        var previous = cat([Generator.StartTone(batch, Device).unsqueeze(1), real.narrow(1, 0, steps - 1)], dim: 1);
        var noise = rand([batch, steps, Settings.Model.Noise], generator: source, device: Device);
        var logits = Generator.call(noise, previous, real[.., .., ToneVocabulary.TimeHead]);
        return stack([.. logits.Select((l, k) => nn.functional.cross_entropy(l.reshape(-1, l.shape[2]), real[.., .., k].reshape(-1)))]).mean();
    }

    private double PretrainingStep(Tensor real)
    {
        var loss = Likelihood(real);
        GeneratorOptimizer.zero_grad();
        loss.backward();
        nn.utils.clip_grad_norm_(Generator.parameters(), Settings.MaxGradientNorm);
        GeneratorOptimizer.step();
        return loss.item<float>();
    }

    private (LossSummary Losses, bool DiscriminatorUpdated, bool GeneratorUpdated) AdversarialStep(Tensor real, double temperature)
    {
        var batch = real.shape[0];
        var (_, generated) = FreeRun(batch, real.shape[1], temperature);

        // One discriminator pass reads the real and the (detached) generated songs together: L_D trains the
        // discriminator alone. A second pass over the generated songs carries the generator's gradient.
        var both = Discriminator.Features(cat([Discriminator.OneHot(real), generated.detach()], 0));
        var realFeatures = both.narrow(0, 0, batch);
        var game = Game.Losses(
            Discriminator.Logits,
            realFeatures,
            both.narrow(0, batch, batch),
            Discriminator.Features(generated),
            Settings.GeneratorLoss
        );
        double? likelihood = null;
        if (Settings.LikelihoodWeight > 0)
        {
            var nll = Likelihood(real);
            likelihood = nll.item<float>();
            game = game with { Minimised = game.Minimised + Settings.LikelihoodWeight * nll };
        }
        var (updateDiscriminator, updateGenerator) = Game.Update(
            game,
            Settings,
            Generator,
            GeneratorOptimizer,
            Discriminator,
            DiscriminatorOptimizer
        );
        return (game.Summary(likelihood), updateDiscriminator, updateGenerator);
    }

    /// <summary>
    /// Runs the generator free for <paramref name="steps"/> tones from the start tone: its hard draws [batch, steps,
    /// heads] and the discriminator's view of them [batch, steps, Σ classes], relaxed at <paramref name="temperature"/>
    /// (or one-hot with the relaxed gradient when training straight through).
    /// </summary>
    public (Tensor Tones, Tensor Relaxed) FreeRun(long batch, long steps, double temperature, torch.Generator? source = null)
    {
        var state = Generator.ZeroState(batch, Device);
        var previous = Generator.StartTone(batch, Device);
        var (tones, relaxed) = (new List<Tensor>(), new List<Tensor>());
        for (var t = 0; t < steps; t++)
        {
            Tensor output;
            (output, state) = Generator.Step(rand([batch, Settings.Model.Noise], generator: source, device: Device), previous, state);
            var heads = Generator.HeadSizes.Count;
            var draws = new Tensor[heads];
            var soft = new Tensor[heads];
            for (var k = 0; k < heads; k++)
            {
                // Heads in order, so that the length head can read the time just drawn.
                var logits = Generator.Logits(output, k, draws[ToneVocabulary.TimeHead]);
                var uniform = rand(logits.shape, generator: source, device: Device).clamp(1e-10, 1 - 1e-7);
                var perturbed = logits - (-uniform.log()).log();
                draws[k] = perturbed.argmax(1);
                soft[k] = nn.functional.softmax(perturbed / temperature, 1);
                if (Settings.StraightThrough)
                    soft[k] = nn.functional.one_hot(draws[k], logits.shape[1]).to_type(ScalarType.Float32) - soft[k].detach() + soft[k];
            }
            previous = stack(draws, 1);
            tones.Add(previous);
            relaxed.Add(cat(soft, 1));
        }
        return (stack(tones, 1), stack(relaxed, 1));
    }

    /// <summary>The likelihood on one fixed window per validation song, and the game's losses there after pretraining.</summary>
    private LossSummary Validate(ToneWindows validation, bool pretraining)
    {
        var batchSize = Math.Min(Settings.BatchSize, validation.Count);
        if (batchSize == 0)
            return LossSummary.None;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Generator.eval();
        Discriminator.eval();
        var source = new torch.Generator(Settings.Seed ^ ValidationStream, Device);
        var losses = new LossAverage();
        foreach (var values in validation.Batches(batchSize, new SeededRandom(Settings.Seed ^ ValidationStream)))
        {
            var real = ToneWindows.ToTensor(values, Settings.SequenceLength, Device);
            var likelihood = Likelihood(real, source).item<float>();
            if (pretraining)
            {
                losses.Add(new LossSummary(likelihood, null, null, null));
                continue;
            }
            var generated = Discriminator.Features(FreeRun(real.shape[0], real.shape[1], Settings.GumbelTemperatureAt(EpochsDone), source).Relaxed);
            var realFeatures = Discriminator.Features(Discriminator.OneHot(real));
            var game = Game.Losses(Discriminator.Logits, realFeatures, generated, generated, Settings.GeneratorLoss);
            losses.Add(game.Summary(likelihood));
        }
        return losses.Mean;
    }

    public IReadOnlyList<IReadOnlyList<Tone>> Sample(int count, ulong seed)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Generator.eval();
        var tones = FreeRun(count, Settings.SequenceLength, 1, new torch.Generator(seed, Device)).Tones;
        var indices = tones.cpu().to_type(ScalarType.Int32).data<int>().ToArray();
        var width = indices.Length / count;
        return [.. Enumerable.Range(0, count).Select(i => (IReadOnlyList<Tone>)Vocabulary.Decode(indices.AsSpan(i * width, width)))];
    }

    public void Dispose()
    {
        Generator.Dispose();
        Discriminator.Dispose();
        GeneratorOptimizer.Dispose();
        DiscriminatorOptimizer.Dispose();
    }
}
