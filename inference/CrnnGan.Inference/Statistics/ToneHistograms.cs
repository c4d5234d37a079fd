namespace CrnnGan.Inference.Statistics;

/// <summary>
/// Three distributions beyond the paper's statistics, each the share of tones per bin over many pieces: pitch
/// class relative to each piece's best-fitting scale (so that music in any key compares), time between onsets
/// and tone length on a grid of 1/16 quarter note (lengths of 4 quarter notes or more in the last bin).
/// Pieces compare by <see cref="Distance"/>, the total variation between two distributions (0 the same, 1 disjoint).
/// </summary>
public sealed record ToneHistograms(IReadOnlyList<double> PitchClassInKey, IReadOnlyList<double> TimeBetweenOnsets, IReadOnlyList<double> Length)
{
    /// <summary>Grid steps per quarter note.</summary>
    public const int GridPerQuarter = 16;

    /// <summary>Bins of time and length: 0 to 4 quarter notes on the grid, the last also holding everything longer.</summary>
    public const int TimeBins = 4 * GridPerQuarter + 1;

    public static IReadOnlyList<string> Names { get; } = ["pitch_class_in_key", "time_between_onsets", "tone_length"];

    public IReadOnlyList<double> this[string name] =>
        name switch
        {
            "pitch_class_in_key" => PitchClassInKey,
            "time_between_onsets" => TimeBetweenOnsets,
            "tone_length" => Length,
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Not a histogram."),
        };

    public static ToneHistograms Of(IEnumerable<IReadOnlyList<Tone>> pieces)
    {
        var (pitchClass, time, length) = (new double[12], new double[TimeBins], new double[TimeBins]);
        foreach (var piece in pieces)
        {
            var ordered = piece.OrderBy(t => t.Onset).ThenBy(t => t.Pitch).ToArray();
            var shift = Scale.BestFit([.. ordered.Select(t => t.Pitch)]).ShiftToC;
            for (var i = 0; i < ordered.Length; i++)
            {
                pitchClass[Scale.PitchClass(ordered[i].Pitch + shift)]++;
                length[OnGrid(ordered[i].Duration)]++;
                if (i > 0)
                    time[OnGrid(ordered[i].Onset - ordered[i - 1].Onset)]++;
            }
        }
        return new ToneHistograms(Shares(pitchClass), Shares(time), Shares(length));
    }

    /// <summary>The total variation distance of each histogram to <paramref name="other"/>'s, by <see cref="Names"/>.</summary>
    public IReadOnlyDictionary<string, double> Distances(ToneHistograms other) =>
        Names.ToDictionary(name => name, name => Distance(this[name], other[name]));

    public static double Distance(IReadOnlyList<double> p, IReadOnlyList<double> q) => 0.5 * p.Zip(q, (a, b) => Math.Abs(a - b)).Sum();

    private static int OnGrid(double quarters) =>
        Math.Clamp((int)Math.Round(quarters * GridPerQuarter, MidpointRounding.AwayFromZero), 0, TimeBins - 1);

    private static double[] Shares(double[] counts)
    {
        var total = counts.Sum();
        return [.. counts.Select(c => total == 0 ? 0 : c / total)];
    }
}
