using CrnnGan.Inference.Statistics;

namespace CrnnGan.Cli.Evaluation;

/// <summary>
/// How well a source passes for real music, judged on whole pieces: a classifier two-sample test's accuracy (0.5: it
/// cannot tell them apart) and the Fréchet distance of their descriptors, each beside the same measures between two
/// sets of real music (the floor a model can reach); and the same test on each part of the description alone
/// (<see cref="WindowDescriptor.Parts"/>), which says what gives a model away, with the numbers furthest from real
/// music's (<see cref="DescriptorShift"/>).
/// </summary>
/// <remarks>Sets too small to test (fewer pieces a side than <see cref="TwoSampleTest.Folds"/>) are not judged: NaN.</remarks>
public sealed record Realism(
    string Source,
    double Accuracy,
    double Frechet,
    IReadOnlyList<double> PartAccuracy,
    IReadOnlyList<DescriptorShift> Furthest
)
{
    /// <summary>How many of the numbers furthest from real music's a report names.</summary>
    public const int FurthestNamed = 5;

    /// <param name="parts">Whether to test each part alone too, and name the furthest numbers (none: both empty).</param>
    public static Realism Of(MusicSource source, MusicSource real, ulong seed, bool parts = false) =>
        Math.Min(source.Pieces.Count, real.Pieces.Count) < TwoSampleTest.Folds
            ? new(source.Name, double.NaN, double.NaN, [], [])
            : new(
                source.Name,
                TwoSampleTest.Accuracy(source.Descriptors, real.Descriptors, seed),
                FrechetDistance.Of(source.Descriptors, real.Descriptors, real.Descriptors),
                parts
                    ?
                    [
                        .. WindowDescriptor.Parts.Select(
                            (_, p) =>
                                TwoSampleTest.Accuracy(WindowDescriptor.Part(source.Descriptors, p), WindowDescriptor.Part(real.Descriptors, p), seed)
                        ),
                    ]
                    : [],
                parts ? DescriptorShift.Largest(source.Descriptors, real.Descriptors, FurthestNamed) : []
            );
}
