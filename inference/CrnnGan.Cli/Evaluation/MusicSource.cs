using CrnnGan.Inference.Music;
using CrnnGan.Inference.Statistics;

namespace CrnnGan.Cli.Evaluation;

/// <summary>Pieces of music of one origin (a model, or real music), measured with the paper's statistics and our histograms.</summary>
public sealed record MusicSource(string Name, IReadOnlyList<IReadOnlyList<Tone>> Pieces)
{
    public IReadOnlyList<ToneStatistics> Statistics { get; } = [.. Pieces.Select(ToneStatistics.Of)];

    // Summarised once, on first use: the targets and the report read it statistic by statistic.
    public IReadOnlyList<StatisticSummary> Summary => field ??= StatisticSummary.Of(Statistics.ToList());

    public ToneHistograms Histograms { get; } = ToneHistograms.Of(Pieces);

    /// <summary>Each piece as the two-sample test and the Fréchet distance read it.</summary>
    public IReadOnlyList<double[]> Descriptors { get; } = [.. Pieces.Select(WindowDescriptor.Of)];

    /// <summary>The mean pitch of all tones; null for none.</summary>
    public double? MeanPitch { get; } =
        Pieces.SelectMany(p => p).Select(t => (double)t.Pitch).DefaultIfEmpty(double.NaN).Average() is var m && double.IsNaN(m) ? null : m;

    /// <summary>The mean share of a piece's tones outside its key (<see cref="Scale.OutsideKey"/>).</summary>
    public double OutsideKey { get; } = Pieces.Select(p => Scale.OutsideKey([.. p.Select(t => t.Pitch)])).DefaultIfEmpty(0).Average();

    /// <summary>The share of onsets (a chord's once) off the sixteenth grid (<see cref="OnsetPosition"/>).</summary>
    public double OffGrid { get; } =
        Pieces.SelectMany(p => p.Select(t => t.Onset).Distinct()).Select(o => OnsetPosition.OnGrid(o) ? 0.0 : 1).DefaultIfEmpty(0).Average();

    /// <summary>Of the onsets off the sixteenth grid, the share the next onset brings back onto it (<see cref="OnsetPosition.Returns"/>).</summary>
    public double BackOnGrid { get; } =
        Pieces.Select(p => OnsetPosition.Returns(p)).Aggregate((Off: 0, Back: 0), (a, r) => (a.Off + r.Off, a.Back + r.Back)) is var (off, back)
        && off > 0
            ? (double)back / off
            : 0;

    public StatisticSummary this[string statistic] => Summary.Single(s => s.Name == statistic);
}
