using System.Globalization;
using CrnnGan.TestSupport;
using CrnnGan.Training.Model;
using CrnnGan.Training.Training;
using static TorchSharp.torch;

namespace CrnnGan.Training.Tests.Training;

/// <summary>
/// A short seeded run of each family (one epoch of maximum likelihood, two of the game) gives the losses it was recorded
/// with. Without dropout they were recorded on the code before the game shared the discriminator's pass over the
/// generated songs between both losses and ran LibTorch's LSTMs on ATen's kernels: neither changed what a run computes.
/// With dropout they were recorded again after it, because the discriminator now reads real and generated songs in two
/// passes instead of three, so its dropout masks are drawn otherwise. The digits were recorded on an AVX-512 machine;
/// LibTorch's kernels for other processors (ATEN_CPU_CAPABILITY=avx2, default) and other thread counts round differently,
/// so each loss must agree within float tolerance (1e-5, relative).
/// </summary>
public sealed class RecordedRunTests
{
    private static readonly TrainingSettings Continuous = new()
    {
        Model = new ModelSettings(TonesPerStep: 1, HiddenSize: 16, Layers: 2, Dropout: 0.1),
        BatchSize = 8,
        SequenceLength = 12,
        CurriculumStep = 4,
        PretrainingEpochs = 1,
        FreezeRatio = 0,
        StatisticsSamples = 4,
        Seed = 11,
    };

    private static readonly TrainingSettings Tones = new()
    {
        Model = new ModelSettings(
            HiddenSize: 16,
            Layers: 2,
            NoiseSize: 4,
            Dropout: 0.1,
            Family: ModelFamily.Tones,
            EmbeddingSize: 4,
            TimeBins: 4,
            LengthBins: 3,
            VelocityBins: 4,
            LengthGivenTime: 8
        ),
        BatchSize = 8,
        SequenceLength = 16,
        CurriculumStep = 0,
        PretrainingEpochs = 1,
        Optimizer = OptimizerKind.Adam,
        GeneratorLearningRate = 0.001,
        DiscriminatorLearningRate = 0.001,
        PretrainingLearningRate = 0.01,
        LikelihoodWeight = 0.5,
        GeneratorLoss = GeneratorLoss.NonSaturating,
        FreezeRatio = 0,
        StatisticsSamples = 4,
        Seed = 11,
    };

    /// <summary>Per epoch, its training and its validation losses (likelihood, discriminator, generator, feature matching), as recorded.</summary>
    private static readonly Dictionary<(string Family, bool Dropout), string[]> Recorded = new()
    {
        [("continuous", true)] =
        [
            "train 0.42698000371456146 - - -",
            "validation 0.2781493663787842 - - -",
            "train - 1.3911553025245667 0.6830634325742722 0.0002752414766291622",
            "validation 0.3101528286933899 1.3905835151672363 0.6835626363754272 0.000245835428358987",
            "train - 1.3906314074993134 0.6859733164310455 0.0003099961541010998",
            "validation 0.3077057898044586 1.3902943134307861 0.6862748861312866 0.00028995846514590085",
        ],
        [("tones", true)] =
        [
            "train 1.9673089385032654 - - -",
            "validation 1.8975235223770142 - - -",
            "train 1.8870172500610352 1.3983052372932434 0.5876577645540237 -",
            "validation 1.8788278102874756 1.394243597984314 0.6019017100334167 -",
            "train 1.8642992079257965 1.3925216794013977 0.610265702009201 -",
            "validation 1.8572397232055664 1.3893747329711914 0.6241907477378845 -",
        ],
        [("continuous", false)] =
        [
            "train 0.4270903766155243 - - -",
            "validation 0.27795782685279846 - - -",
            "train - 1.3909213840961456 0.6831539422273636 0.0002590917101770174",
            "validation 0.30992135405540466 1.39058518409729 0.6835823059082031 0.0002456240763422102",
            "train - 1.3906462788581848 0.6860454678535461 0.0003077405272051692",
            "validation 0.3074701130390167 1.3902901411056519 0.686255156993866 0.00028966256650164723",
        ],
        [("tones", false)] =
        [
            "train 1.9671372175216675 - - -",
            "validation 1.8947736024856567 - - -",
            "train 1.881194680929184 1.3983236253261566 0.5875448882579803 -",
            "validation 1.8748637437820435 1.3942294120788574 0.6020915508270264 -",
            "train 1.8580818176269531 1.3924195170402527 0.6105571240186691 -",
            "validation 1.8516842126846313 1.3893533945083618 0.6245188117027283 -",
        ],
    };

    public static TheoryData<string, bool> Runs =>
        new()
        {
            { "continuous", true },
            { "tones", true },
            { "continuous", false },
            { "tones", false },
        };

    [Theory]
    [MemberData(nameof(Runs))]
    public void A_seeded_run_gives_the_recorded_losses(string family, bool dropout)
    {
        var settings = family == "tones" ? Tones : Continuous;
        if (!dropout)
            settings = settings with { Model = settings.Model with { Dropout = 0, DiscriminatorInputDropout = 0 } };
        var training = SyntheticSongs.Make(32, seed: 1);
        using var trainer = Trainer.Create(settings with { Epochs = 3 }, CPU, training);
        trainer.UseData(training, SyntheticSongs.Make(8, seed: 2));

        var losses = Enumerable
            .Range(0, 3)
            .Select(_ => trainer.RunEpoch())
            .SelectMany(r => new[] { Line("train", r.Training), Line("validation", r.Validation) })
            .ToList();

        var recordedLosses = Recorded[(family, dropout)];
        Assert.Equal(recordedLosses.Length, losses.Count);
        foreach (var (recorded, run) in recordedLosses.Zip(losses))
            Assert.True(Agree(recorded, run), $"recorded \"{recorded}\", run \"{run}\"");
    }

    /// <summary>The same losses present, each within float tolerance of the recorded one.</summary>
    private static bool Agree(string recorded, string run)
    {
        var (expected, actual) = (recorded.Split(' '), run.Split(' '));
        return expected.Length == actual.Length
            && expected[0] == actual[0]
            && expected
                .Skip(1)
                .Zip(actual.Skip(1))
                .All(p =>
                    p.First == "-"
                        ? p.Second == "-"
                        : p.Second != "-" && Math.Abs(Number(p.First) - Number(p.Second)) <= 1e-5 * Math.Abs(Number(p.First)) + 1e-9
                );

        static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);
    }

    private static string Line(string name, LossSummary l) =>
        $"{name} "
        + string.Join(
            " ",
            new[] { l.Pretraining, l.Discriminator, l.Generator, l.FeatureMatching }.Select(v =>
                v?.ToString("R", CultureInfo.InvariantCulture) ?? "-"
            )
        );
}
