namespace CrnnGan.Inference.Statistics;

/// <summary>
/// The evaluation statistics of the paper (Mogren 2016, section 4 and Figure 3) for one piece of music,
/// computed from its tones in onset order (simultaneous tones by ascending pitch).
/// </summary>
/// <param name="Polyphony">Share of distinct onset times at which two or more tones start.</param>
/// <param name="ScaleConsistency">Largest share of tones inside one scale, over the 12 roots of the major,
/// natural minor and harmonic minor scales; a tone is inside when (pitch − root) mod 12 is a scale degree.</param>
/// <param name="Repetitions">Repetitions[l − 2] for l = 2..9: pairs of non-overlapping, equal windows of l
/// consecutive pitches (pitches and order only, not timing).</param>
/// <param name="ToneSpan">Highest minus lowest pitch, in semitones.</param>
/// <param name="UniqueTones">Number of distinct pitches.</param>
/// <param name="IntensitySpan">Highest minus lowest velocity.</param>
public sealed record ToneStatistics(
    double Polyphony,
    double ScaleConsistency,
    IReadOnlyList<int> Repetitions,
    int ToneSpan,
    int UniqueTones,
    int IntensitySpan
)
{
    /// <summary>The shortest repeated pitch pattern counted.</summary>
    public const int ShortestRepetition = 2;

    /// <summary>The longest repeated pitch pattern counted.</summary>
    public const int LongestRepetition = 9;

    /// <summary>The headline repetition count of the paper's Figure 3: windows of three pitches.</summary>
    public int Repetitions3 => RepetitionsOfLength(3);

    /// <summary>
    /// Repetitions of <paramref name="length"/>-tone pitch patterns (<see cref="ShortestRepetition"/> to <see cref="LongestRepetition"/>).
    /// </summary>
    public int RepetitionsOfLength(int length) => Repetitions[length - ShortestRepetition];

    /// <summary>Names and values in a fixed order, for tables, logs and summaries.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Named() =>
        [
            new("polyphony", Polyphony),
            new("scale_consistency", ScaleConsistency),
            .. Enumerable
                .Range(ShortestRepetition, LongestRepetition - ShortestRepetition + 1)
                .Select(l => new KeyValuePair<string, double>($"repetitions_{l}", RepetitionsOfLength(l))),
            new("tone_span", ToneSpan),
            new("unique_tones", UniqueTones),
            new("intensity_span", IntensitySpan),
        ];

    /// <summary>The statistics of a piece; a piece without tones scores 0 on each.</summary>
    public static ToneStatistics Of(IReadOnlyList<Tone> tones)
    {
        var ordered = tones.OrderBy(t => t.Onset).ThenBy(t => t.Pitch).ToArray();
        var pitches = ordered.Select(t => t.Pitch).ToArray();
        var repetitions = Enumerable
            .Range(ShortestRepetition, LongestRepetition - ShortestRepetition + 1)
            .Select(l => CountRepetitions(pitches, l))
            .ToArray();
        if (ordered.Length == 0)
            return new ToneStatistics(0, 0, repetitions, 0, 0, 0);
        return new ToneStatistics(
            PolyphonyOf(ordered),
            Scale.Consistency(pitches),
            repetitions,
            pitches.Max() - pitches.Min(),
            pitches.Distinct().Count(),
            ordered.Max(t => t.Velocity) - ordered.Min(t => t.Velocity)
        );
    }

    private static double PolyphonyOf(Tone[] ordered)
    {
        var onsets = ordered.GroupBy(t => t.Onset).ToList();
        return onsets.Count(g => g.Count() >= 2) / (double)onsets.Count;
    }

    /// <summary>Pairs (i, j), i + length ≤ j, with pitches[i..i+length) equal to pitches[j..j+length).</summary>
    private static int CountRepetitions(int[] pitches, int length)
    {
        var windows = new Dictionary<string, List<int>>();
        for (var start = 0; start + length <= pitches.Length; start++)
        {
            var key = string.Join(',', new ArraySegment<int>(pitches, start, length));
            if (!windows.TryGetValue(key, out var starts))
                windows[key] = starts = [];
            starts.Add(start);
        }
        var pairs = 0;
        foreach (var starts in windows.Values)
        {
            // starts is ascending: for each j, count the earlier starts that end before j begins.
            var earlier = 0;
            foreach (var j in starts)
            {
                while (starts[earlier] + length <= j)
                    earlier++;
                pairs += earlier;
            }
        }
        return pairs;
    }
}
