namespace CrnnGan.Training.Training;

/// <summary>
/// Mean losses over an epoch's batches (or the validation windows); null where the phase has no such loss.
/// <see cref="Generator"/> is always the game loss −log D(G(z)), on the same scale as the discriminator's, which
/// the freezing rule compares; <see cref="FeatureMatching"/> is what the generator minimises when it trains by
/// feature matching.
/// </summary>
public sealed record LossSummary(double? Pretraining, double? Discriminator, double? Generator, double? FeatureMatching)
{
    public static LossSummary None { get; } = new(null, null, null, null);

    /// <summary>The losses that are not finite numbers, as "name loss is infinite" or "... not a number": a run that has diverged.</summary>
    public IEnumerable<string> NotFinite()
    {
        (string Name, double? Value)[] losses =
        [
            ("pretraining", Pretraining),
            ("discriminator", Discriminator),
            ("generator", Generator),
            ("feature matching", FeatureMatching),
        ];
        return losses
            .Where(l => l.Value is { } v && !double.IsFinite(v))
            .Select(l => $"{l.Name} loss is {(double.IsNaN(l.Value!.Value) ? "not a number" : "infinite")}");
    }
}

/// <summary>
/// One line of the training log: what an epoch did and how the generator's samples measure. <see cref="Seconds"/>
/// is the whole epoch; <see cref="TrainingSeconds"/> its training batches alone, which songs per second count.
/// </summary>
public sealed record EpochResult(
    int Epoch,
    string Phase,
    int SequenceLength,
    int Batches,
    LossSummary Training,
    LossSummary Validation,
    int DiscriminatorUpdatesSkipped,
    int GeneratorUpdatesSkipped,
    double Seconds,
    double TrainingSeconds,
    double SongsPerSecond,
    double PeakMemoryMegabytes,
    IReadOnlyDictionary<string, double> Statistics
);
