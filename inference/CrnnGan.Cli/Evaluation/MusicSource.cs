using CrnnGan.Inference.Music;
using CrnnGan.Inference.Statistics;

namespace CrnnGan.Cli.Evaluation;

/// <summary>Pieces of music of one origin (a model, or real music), measured with the paper's statistics.</summary>
public sealed record MusicSource(string Name, IReadOnlyList<IReadOnlyList<Tone>> Pieces)
{
    public IReadOnlyList<ToneStatistics> Statistics { get; } = [.. Pieces.Select(ToneStatistics.Of)];

    public IReadOnlyList<StatisticSummary> Summary => StatisticSummary.Of(Statistics.ToList());

    public StatisticSummary this[string statistic] => Summary.Single(s => s.Name == statistic);
}
