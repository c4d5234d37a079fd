namespace CrnnGan.Inference.Statistics;

/// <summary>
/// A piece (a 100-tone window) as one vector of what tells music apart, for the two-sample test and the Fréchet
/// distance: the paper's statistics (polyphony, scale consistency, 3-tone repetitions, tone span, unique tones,
/// intensity span), mean pitch and its spread, the share of tones outside the key, and the piece's own distributions
/// of key-relative pitch class (12), time between onsets and tone length (7 classes each: 0, up to ⅛, ¼, ½, 1 and 2
/// quarter notes, longer), onset position in the quarter note (5) and in the bar (17), and melodic interval (11
/// classes: unison, steps, thirds, fourths and fifths, sixths to octaves and wider, each up or down).
/// </summary>
public static class WindowDescriptor
{
    private static readonly double[] DurationEdges = [0, 0.125, 0.25, 0.5, 1, 2];
    private static readonly int[] IntervalEdges = [0, 2, 4, 7, 12];

    /// <summary>The description's parts, each a kind of what tells music apart, with its numbers' names, in order.</summary>
    public static IReadOnlyList<(string Part, IReadOnlyList<string> Names)> Parts { get; } =
    [
        (
            "statistics",
            [
                "polyphony",
                "scale_consistency",
                "repetitions_3",
                "tone_span",
                "unique_tones",
                "intensity_span",
                "mean_pitch",
                "pitch_spread",
                "outside_key",
            ]
        ),
        ("pitch class", [.. Enumerable.Range(0, 12).Select(i => $"pitch_class_{i}")]),
        ("time between onsets", [.. Enumerable.Range(0, DurationEdges.Length + 1).Select(i => $"time_class_{i}")]),
        ("tone length", [.. Enumerable.Range(0, DurationEdges.Length + 1).Select(i => $"length_class_{i}")]),
        ("onset in the quarter", [.. Enumerable.Range(0, OnsetPosition.QuarterClasses).Select(i => $"onset_in_quarter_{i}")]),
        ("onset in the bar", [.. Enumerable.Range(0, OnsetPosition.BarClasses).Select(i => $"onset_in_bar_{i}")]),
        ("melodic interval", [.. Enumerable.Range(0, 2 * IntervalEdges.Length + 1).Select(i => $"interval_class_{i}")]),
    ];

    /// <summary>The descriptor's numbers by name, in order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Parts.SelectMany(p => p.Names)];

    /// <summary>Each descriptor's numbers of part <paramref name="part"/> of <see cref="Parts"/> alone.</summary>
    public static IReadOnlyList<double[]> Part(IReadOnlyList<double[]> descriptors, int part)
    {
        var start = Parts.Take(part).Sum(p => p.Names.Count);
        return [.. descriptors.Select(d => d[start..(start + Parts[part].Names.Count)])];
    }

    /// <summary>The descriptor of one window of tones (<see cref="Names"/> gives each number's meaning).</summary>
    public static double[] Of(IReadOnlyList<Tone> piece)
    {
        var statistics = ToneStatistics.Of(piece);
        var histograms = ToneHistograms.Of([piece]);
        var pitches = piece.Select(t => (double)t.Pitch).DefaultIfEmpty(0).ToArray();
        var mean = pitches.Average();
        double[] vector =
        [
            statistics.Polyphony,
            statistics.ScaleConsistency,
            statistics.Repetitions3,
            statistics.ToneSpan,
            statistics.UniqueTones,
            statistics.IntensitySpan,
            mean,
            Math.Sqrt(pitches.Average(p => (p - mean) * (p - mean))),
            Scale.OutsideKey([.. piece.Select(t => t.Pitch)]),
            .. histograms.PitchClassInKey,
            .. Coarse(histograms.TimeBetweenOnsets),
            .. Coarse(histograms.Length),
            .. histograms.OnsetInQuarter,
            .. histograms.OnsetInBar,
            .. Intervals(histograms.MelodicInterval),
        ];
        return vector;
    }

    /// <summary>A 1/16-grid distribution in the duration classes: 0, then up to each edge, then longer.</summary>
    private static double[] Coarse(IReadOnlyList<double> grid)
    {
        var classes = new double[DurationEdges.Length + 1];
        for (var bin = 0; bin < grid.Count; bin++)
        {
            var quarters = bin / (double)ToneHistograms.GridPerQuarter;
            var index = quarters == 0 ? 0 : Array.FindIndex(DurationEdges, 1, edge => quarters <= edge);
            classes[index < 0 ? DurationEdges.Length : index] += grid[bin];
        }
        return classes;
    }

    /// <summary>Interval shares in classes by size (up to each edge), down then unison then up.</summary>
    private static double[] Intervals(IReadOnlyList<double> shares)
    {
        var classes = new double[2 * IntervalEdges.Length + 1];
        for (var bin = 0; bin < shares.Count; bin++)
        {
            var semitones = bin - ToneHistograms.WidestInterval;
            var size = Array.FindIndex(IntervalEdges, edge => Math.Abs(semitones) <= edge);
            size = size < 0 ? IntervalEdges.Length : size;
            classes[IntervalEdges.Length + Math.Sign(semitones) * size] += shares[bin];
        }
        return classes;
    }
}
