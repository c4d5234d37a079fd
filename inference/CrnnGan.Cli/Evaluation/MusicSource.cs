using CrnnGan.Inference.Music;
using CrnnGan.Inference.Statistics;

namespace CrnnGan.Cli.Evaluation;

/// <summary>Pieces of music of one origin (a model, or real music), measured with the paper's statistics and our histograms.</summary>
public sealed record MusicSource(string Name, IReadOnlyList<IReadOnlyList<Tone>> Pieces)
{
    public IReadOnlyList<ToneStatistics> Statistics { get; } = [.. Pieces.Select(ToneStatistics.Of)];

    public IReadOnlyList<StatisticSummary> Summary => StatisticSummary.Of(Statistics.ToList());

    public ToneHistograms Histograms { get; } = ToneHistograms.Of(Pieces);

    /// <summary>The mean pitch of all tones; null for none.</summary>
    public double? MeanPitch { get; } =
        Pieces.SelectMany(p => p).Select(t => (double)t.Pitch).DefaultIfEmpty(double.NaN).Average() is var m && double.IsNaN(m) ? null : m;

    public StatisticSummary this[string statistic] => Summary.Single(s => s.Name == statistic);
}
