using CrnnGan.Inference.Features;
using CrnnGan.TestSupport;
using CrnnGan.Training.Model;
using CrnnGan.Training.Training;
using static TorchSharp.torch;

namespace CrnnGan.Training.Tests.Training;

public sealed class TrainerTests
{
    private static readonly TrainingSettings Tiny = new()
    {
        Model = new ModelSettings(TonesPerStep: 1, HiddenSize: 16, Layers: 2, Dropout: 0.1),
        BatchSize = 8,
        SequenceLength = 12,
        CurriculumStep = 4,
        PretrainingEpochs = 2,
        StatisticsSamples = 4,
        Seed = 11,
    };

    private static Trainer NewTrainer(TrainingSettings settings, int songs = 32)
    {
        var trainer = new Trainer(new PaperGan(settings, CPU));
        trainer.UseData(SyntheticSongs.Make(songs, seed: 1), SyntheticSongs.Make(8, seed: 2));
        return trainer;
    }

    [Fact]
    public void Pretraining_loss_falls()
    {
        var settings = Tiny with { PretrainingOnly = true, CurriculumStep = 0, Optimizer = OptimizerKind.Adam, GeneratorLearningRate = 0.01 };
        using var trainer = NewTrainer(settings);

        var results = Enumerable.Range(0, 8).Select(_ => trainer.RunEpoch()).ToList();

        Assert.All(results, r => Assert.Equal("pretraining", r.Phase));
        Assert.True(
            results[^1].Training.Pretraining < 0.7 * results[0].Training.Pretraining,
            string.Join(", ", results.Select(r => r.Training.Pretraining))
        );
        Assert.True(results[^1].Validation.Pretraining < results[0].Validation.Pretraining);
    }

    [Fact]
    public void An_epoch_whose_loss_is_not_finite_stops_the_run_and_writes_nothing_of_it()
    {
        using var folder = new TemporaryFolder();
        var run = TrainingRun.Prepare(folder.Path, resume: false);
        using var trainer = NewTrainer(Tiny with { PretrainingOnly = true });
        run.Complete(trainer, trainer.RunEpoch(), "synthetic", "test");
        var second = trainer.RunEpoch();
        var diverged = second with { Training = second.Training with { Pretraining = double.PositiveInfinity } };

        var error = Assert.Throws<TrainingDivergedException>(() => run.Complete(trainer, diverged, "synthetic", "test"));

        Assert.Contains("Epoch 2 diverged: its training pretraining loss is infinite.", error.Message, StringComparison.Ordinal);
        Assert.Contains("holds epoch 1", error.Message, StringComparison.Ordinal);
        Assert.Single(File.ReadAllLines(Path.Combine(folder.Path, TrainingLog.FileName)));
        Assert.Equal(1, Checkpoint.ReadInfo(run.CheckpointPath).EpochsDone);
        run.Complete(trainer, second, "synthetic", "test"); // the finite epoch is written as ever
        Assert.Equal(2, Checkpoint.ReadInfo(run.CheckpointPath).EpochsDone);
    }

    [Fact]
    public void Adversarial_training_updates_both_networks()
    {
        var settings = Tiny with { PretrainingEpochs = 0, FreezeRatio = 0 };
        using var trainer = NewTrainer(settings);
        var generatorBefore = Snapshot(trainer.Generator);
        var discriminatorBefore = Snapshot(trainer.Discriminator);

        var result = trainer.RunEpoch();

        Assert.Equal("adversarial", result.Phase);
        Assert.Equal((0, 0), (result.DiscriminatorUpdatesSkipped, result.GeneratorUpdatesSkipped));
        Assert.NotEqual(generatorBefore, Snapshot(trainer.Generator));
        Assert.NotEqual(discriminatorBefore, Snapshot(trainer.Discriminator));
        Assert.True(double.IsFinite(result.Training.Discriminator!.Value) && double.IsFinite(result.Training.Generator!.Value));
        Assert.NotNull(result.Training.FeatureMatching);
        Assert.NotNull(result.Validation.Discriminator);
    }

    [Fact]
    public void The_generator_learns_at_the_pretraining_rate_while_pretraining_and_at_its_own_rate_after()
    {
        var settings = Tiny with
        {
            PretrainingEpochs = 1,
            CurriculumStep = 0,
            Optimizer = OptimizerKind.Adam,
            PretrainingLearningRate = 0.01,
            GeneratorLearningRate = 1e-12,
            FreezeRatio = 0,
        };
        using var trainer = NewTrainer(settings);

        var start = Snapshot(trainer.Generator);
        trainer.RunEpoch();
        var pretrained = Snapshot(trainer.Generator);
        trainer.RunEpoch();
        var adversarial = Snapshot(trainer.Generator);

        // Adam moves each weight by about the learning rate per step, whatever the gradient's size.
        Assert.True(LargestChange(start, pretrained) > 1e-3, $"pretraining moved the generator by {LargestChange(start, pretrained)}");
        Assert.True(
            LargestChange(pretrained, adversarial) < 1e-9,
            $"adversarial training moved the generator by {LargestChange(pretrained, adversarial)}"
        );
    }

    [Fact]
    public void Freezing_skips_the_discriminator_while_it_is_far_ahead()
    {
        // A discriminator that learns much faster than the generator gets ahead and sits out.
        var results = TrainAdversarially(Tiny with { DiscriminatorLearningRate = 0.02, GeneratorLearningRate = 0.0001, FreezeRatio = 0.9 });

        Assert.True(results.Sum(r => r.DiscriminatorUpdatesSkipped) > 0, "the discriminator was never frozen");
        Assert.True(results.Sum(r => r.DiscriminatorUpdatesSkipped) < results.Sum(r => r.Batches), "the discriminator never trained");
    }

    [Fact]
    public void Freezing_skips_the_generator_while_it_is_far_ahead()
    {
        // A generator that learns much faster, on the game loss itself, fools the discriminator and sits out.
        var results = TrainAdversarially(
            Tiny with
            {
                GeneratorLoss = GeneratorLoss.NonSaturating,
                GeneratorLearningRate = 0.02,
                DiscriminatorLearningRate = 0.0001,
                FreezeRatio = 0.95,
            }
        );

        Assert.True(
            results.Sum(r => r.GeneratorUpdatesSkipped) > 0,
            "the generator was never frozen: " + string.Join("; ", results.Select(r => r.Training))
        );
        Assert.True(results.Sum(r => r.GeneratorUpdatesSkipped) < results.Sum(r => r.Batches), "the generator never trained");
    }

    [Fact]
    public void Without_dropout_in_the_game_the_generators_dropout_rate_leaves_the_game_unchanged()
    {
        // One layer and no input dropout: the discriminator draws no dropout masks, so only the generator's could differ.
        double[] GameLosses(double dropout, bool inGame)
        {
            var settings = Tiny with
            {
                Model = Tiny.Model with { Layers = 1, Dropout = dropout, DiscriminatorInputDropout = 0 },
                PretrainingEpochs = 0,
                GeneratorDropoutInGame = inGame,
            };
            using var trainer = NewTrainer(settings);
            var result = trainer.RunEpoch();
            return [result.Training.Discriminator!.Value, result.Training.Generator!.Value];
        }

        Assert.Equal(GameLosses(0.5, inGame: false), GameLosses(0.2, inGame: false));
        Assert.NotEqual(GameLosses(0.5, inGame: true), GameLosses(0.2, inGame: true));
    }

    [Theory]
    [InlineData(128)]
    [InlineData(16)]
    public void Rounding_generated_pitch_rounds_pitch_alone_and_passes_the_gradient_straight_through(int pitchDivisor)
    {
        using var scope = NewDisposeScope();
        var model = new ModelSettings(PitchDivisor: pitchDivisor);
        float[] step = [0.25f, 0.5f, 61.4f, 80.3f];
        FeatureScaling.Normalise(step, model.FeatureScale);
        var generated = tensor(step).reshape(1, 1, 4).requires_grad_();

        var rounded = PaperGan.RoundPitch(generated, model);
        rounded.sum().backward();

        var values = rounded.detach().data<float>().ToArray();
        FeatureScaling.Denormalise(values, model.FeatureScale);
        Assert.Equal([0.25f, 0.5f, 61f, 80.3f], values, (a, b) => Math.Abs(a - b) < 1e-4);
        Assert.Equal([1f, 1f, 1f, 1f], generated.grad!.data<float>().ToArray());
    }

    private static List<EpochResult> TrainAdversarially(TrainingSettings settings)
    {
        settings = settings with { PretrainingEpochs = 0, Optimizer = OptimizerKind.Adam, Model = Tiny.Model with { Dropout = 0 } };
        using var trainer = NewTrainer(settings, songs: 64);
        return [.. Enumerable.Range(0, 6).Select(_ => trainer.RunEpoch())];
    }

    [Fact]
    public void The_curriculum_lengthens_windows_each_epoch_up_to_the_full_length()
    {
        Assert.Equal([4, 8, 12, 12], Enumerable.Range(0, 4).Select(Tiny.SequenceLengthAt));
        Assert.Equal(12, (Tiny with { CurriculumStep = 0 }).SequenceLengthAt(0));
    }

    [Fact]
    public void The_same_seed_gives_the_same_losses()
    {
        static IEnumerable<EpochResult> Run(TrainingSettings settings)
        {
            using var trainer = NewTrainer(settings);
            return [.. Enumerable.Range(0, 3).Select(_ => trainer.RunEpoch())];
        }

        var first = Run(Tiny).Select(r => r.Training).ToList();
        var second = Run(Tiny).Select(r => r.Training).ToList();
        var otherSeed = Run(Tiny with { Seed = 12 }).Select(r => r.Training).ToList();

        Assert.Equal(first, second);
        Assert.NotEqual(first, otherSeed);
    }

    [Fact]
    public void Resuming_from_a_checkpoint_gives_the_same_losses_as_an_uninterrupted_run()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, Checkpoint.FileName);
        var settings = Tiny with { Optimizer = OptimizerKind.Adam, GeneratorLearningRate = 0.01, DiscriminatorLearningRate = 0.01 };

        List<EpochResult> uninterrupted;
        using (var trainer = NewTrainer(settings))
            uninterrupted = [.. Enumerable.Range(0, 4).Select(_ => trainer.RunEpoch())];

        using (var trainer = NewTrainer(settings))
        {
            trainer.RunEpoch();
            trainer.RunEpoch();
            Checkpoint.Save(trainer, path, "synthetic", "test");
            trainer.RunEpoch(); // lost with the "crash" below
        }
        manual_seed(999); // whatever happened to the process's random state since
        List<EpochResult> resumed;
        using (var trainer = Checkpoint.Load(path, CPU))
        {
            trainer.UseData(SyntheticSongs.Make(32, seed: 1), SyntheticSongs.Make(8, seed: 2));
            Assert.Equal(2, trainer.EpochsDone);
            resumed = [.. Enumerable.Range(0, 2).Select(_ => trainer.RunEpoch())];
        }

        Assert.Equal(
            uninterrupted.Skip(2).Select(r => (r.Epoch, r.Training, r.Validation)),
            resumed.Select(r => (r.Epoch, r.Training, r.Validation))
        );
        Assert.Equal(uninterrupted[^1].Statistics, resumed[^1].Statistics);
    }

    [Fact]
    public void Three_tones_per_step_train_too()
    {
        var settings = Tiny with { Model = Tiny.Model with { TonesPerStep = 3 }, PretrainingEpochs = 1 };
        using var trainer = NewTrainer(settings);

        var pretraining = trainer.RunEpoch();
        var adversarial = trainer.RunEpoch();

        Assert.Equal(10, settings.Model.Features);
        Assert.True(double.IsFinite(pretraining.Training.Pretraining!.Value));
        Assert.True(double.IsFinite(adversarial.Training.Discriminator!.Value));
        Assert.Equal(4, trainer.Sample(4, 1).Count);
    }

    private static double LargestChange(float[] before, float[] after) => before.Zip(after, (b, a) => Math.Abs((double)a - b)).Max();

    private static float[] Snapshot(nn.Module module) => [.. module.parameters().SelectMany(p => p.data<float>().ToArray())];
}
