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

    private const int PitchBits = 7;
    private const int PitchMask = (1 << PitchBits) - 1;

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
        var count = pitches.Length - length + 1;
        if (count < 2)
            return 0;
        // A window's key packs its pitches, 7 bits each: exact for MIDI notes (0 to 127, as every decoded tone is), up to 9 in
        // 63 bits. Sorting the keys groups equal windows without a string or a list a window, which made these counts most
        // of a generated song's decoding time.
        var keys = new long[count];
        var starts = new int[count];
        for (var start = 0; start < count; start++)
        {
            var key = 0L;
            foreach (var pitch in pitches.AsSpan(start, length))
                key = key << PitchBits | (uint)(pitch & PitchMask);
            (keys[start], starts[start]) = (key, start);
        }
        Array.Sort(keys, starts);
        var pairs = 0;
        for (var first = 0; first < count; )
        {
            var end = first + 1;
            while (end < count && keys[end] == keys[first])
                end++;
            var group = starts.AsSpan(first, end - first);
            group.Sort();
            // For each window j of the group, count the earlier ones that end before j begins.
            var earlier = 0;
            foreach (var j in group)
            {
                while (group[earlier] + length <= j)
                    earlier++;
                pairs += earlier;
            }
            first = end;
        }
        return pairs;
    }
}
