namespace CrnnGan.Training.Training;

/// <summary>Running means of the losses of an epoch's batches.</summary>
public sealed class LossAverage
{
    private double _pretraining,
        _discriminator,
        _generator,
        _featureMatching;

    public int Count { get; private set; }

    public LossSummary Last { get; private set; } = LossSummary.None;

    public void Add(LossSummary losses)
    {
        _pretraining += losses.Pretraining ?? 0;
        _discriminator += losses.Discriminator ?? 0;
        _generator += losses.Generator ?? 0;
        _featureMatching += losses.FeatureMatching ?? 0;
        Last = losses;
        Count++;
    }

    /// <summary>The mean of each loss that the batches reported (all batches of an epoch report the same ones).</summary>
    public LossSummary Mean =>
        Count == 0
            ? LossSummary.None
            : new LossSummary(
                Last.Pretraining is null ? null : _pretraining / Count,
                Last.Discriminator is null ? null : _discriminator / Count,
                Last.Generator is null ? null : _generator / Count,
                Last.FeatureMatching is null ? null : _featureMatching / Count
            );
}
