using System.Globalization;
using CrnnGan.TestSupport;
using CrnnGan.Training.Model;
using CrnnGan.Training.Training;
using static TorchSharp.torch;

namespace CrnnGan.Training.Tests.Training;

/// <summary>
/// A short seeded run of each family (one epoch of maximum likelihood, two of the game) gives the losses it gave
/// when each family had a trainer loop of its own: one loop over a family's part changed nothing a run computes. The
/// digits were recorded on an AVX-512 machine; LibTorch's kernels for other processors (ATEN_CPU_CAPABILITY=avx2,
/// default) and other thread counts round differently, so each loss must agree within float tolerance (1e-5, relative).
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
    private static readonly Dictionary<string, string[]> Recorded = new()
    {
        ["continuous"] =
        [
            "train 0.42698000371456146 - - -",
            "validation 0.2781493663787842 - - -",
            "train - 1.3906009197235107 0.6830915361642838 0.00028270514303585514",
            "validation 0.31014707684516907 1.3905761241912842 0.6836103200912476 0.00024588164524175227",
            "train - 1.390727549791336 0.6862304508686066 0.00031745510204927996",
            "validation 0.30769839882850647 1.3902758359909058 0.6862521171569824 0.0002899884129874408",
        ],
        ["tones"] =
        [
            "train 1.9673089385032654 - - -",
            "validation 1.8975235223770142 - - -",
            "train 1.884632796049118 1.398021161556244 0.5873095691204071 -",
            "validation 1.8787634372711182 1.3942244052886963 0.6019366979598999 -",
            "train 1.8623121678829193 1.3925185799598694 0.6101685464382172 -",
            "validation 1.8571196794509888 1.389367938041687 0.624146580696106 -",
        ],
    };

    public static TheoryData<string> Families => ["continuous", "tones"];

    [Theory]
    [MemberData(nameof(Families))]
    public void A_seeded_run_gives_the_recorded_losses(string family)
    {
        var settings = family == "tones" ? Tones : Continuous;
        var training = SyntheticSongs.Make(32, seed: 1);
        using var trainer = Trainer.Create(settings with { Epochs = 3 }, CPU, training);
        trainer.UseData(training, SyntheticSongs.Make(8, seed: 2));

        var losses = Enumerable
            .Range(0, 3)
            .Select(_ => trainer.RunEpoch())
            .SelectMany(r => new[] { Line("train", r.Training), Line("validation", r.Validation) })
            .ToList();

        Assert.Equal(Recorded[family].Length, losses.Count);
        foreach (var (recorded, run) in Recorded[family].Zip(losses))
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
