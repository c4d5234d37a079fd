namespace CrnnGan.Inference.Statistics;

/// <summary>
/// Distributions beyond the paper's statistics, each the share per bin over many pieces: pitch class relative to each
/// piece's best-fitting scale (so that music in any key compares), time between onsets and tone length on a grid of
/// 1/16 quarter note (lengths of 4 quarter notes or more in the last bin), where each onset falls in the quarter note
/// and in a 4-quarter bar (<see cref="OnsetPosition"/>; a chord is one onset), and the melodic interval between
/// consecutive tones (a chord's tones ordered by pitch, a pitch struck twice at one onset counted once; ±24 semitones,
/// wider ones in the end bins). Pieces compare by <see cref="Distance"/>, the total variation between two distributions
/// (0 the same, 1 disjoint).
/// </summary>
public sealed record ToneHistograms(
    IReadOnlyList<double> PitchClassInKey,
    IReadOnlyList<double> TimeBetweenOnsets,
    IReadOnlyList<double> Length,
    IReadOnlyList<double> OnsetInQuarter,
    IReadOnlyList<double> OnsetInBar,
    IReadOnlyList<double> MelodicInterval
)
{
    /// <summary>Grid steps per quarter note.</summary>
    public const int GridPerQuarter = 16;

    /// <summary>Bins of time and length: 0 to 4 quarter notes on the grid, the last also holding everything longer.</summary>
    public const int TimeBins = 4 * GridPerQuarter + 1;

    /// <summary>The widest melodic interval with a bin of its own, in semitones, up or down.</summary>
    public const int WidestInterval = 24;

    /// <summary>The names of the distributions, in the order a report shows them.</summary>
    public static IReadOnlyList<string> Names { get; } =
    ["pitch_class_in_key", "time_between_onsets", "tone_length", "onset_in_quarter", "onset_in_bar", "melodic_interval"];

    /// <summary>The distribution of that name (its shares add up to 1).</summary>
    public IReadOnlyList<double> this[string name] =>
        name switch
        {
            "pitch_class_in_key" => PitchClassInKey,
            "time_between_onsets" => TimeBetweenOnsets,
            "tone_length" => Length,
            "onset_in_quarter" => OnsetInQuarter,
            "onset_in_bar" => OnsetInBar,
            "melodic_interval" => MelodicInterval,
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Not a histogram."),
        };

    /// <summary>The distributions over every tone of <paramref name="pieces"/>, pooled.</summary>
    public static ToneHistograms Of(IEnumerable<IReadOnlyList<Tone>> pieces)
    {
        var (pitchClass, time, length) = (new double[12], new double[TimeBins], new double[TimeBins]);
        var (inQuarter, inBar, interval) = (new double[OnsetPosition.QuarterClasses], new double[OnsetPosition.BarClasses], new double[49]);
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
            foreach (var onset in ordered.Select(t => t.Onset).Distinct())
            {
                inQuarter[OnsetPosition.InQuarter(onset)]++;
                inBar[OnsetPosition.InBar(onset)]++;
            }
            var melody = ordered.DistinctBy(t => (t.Onset, t.Pitch)).Select(t => t.Pitch).ToArray();
            for (var i = 1; i < melody.Length; i++)
                interval[Math.Clamp(melody[i] - melody[i - 1], -WidestInterval, WidestInterval) + WidestInterval]++;
        }
        return new ToneHistograms(Shares(pitchClass), Shares(time), Shares(length), Shares(inQuarter), Shares(inBar), Shares(interval));
    }

    /// <summary>The total variation distance of each histogram to <paramref name="other"/>'s, by <see cref="Names"/>.</summary>
    public IReadOnlyDictionary<string, double> Distances(ToneHistograms other) =>
        Names.ToDictionary(name => name, name => Distance(this[name], other[name]));

    /// <summary>The total variation distance of two distributions: 0 equal, 1 disjoint.</summary>
    public static double Distance(IReadOnlyList<double> p, IReadOnlyList<double> q) => 0.5 * p.Zip(q, (a, b) => Math.Abs(a - b)).Sum();

    private static int OnGrid(double quarters) =>
        Math.Clamp((int)Math.Round(quarters * GridPerQuarter, MidpointRounding.AwayFromZero), 0, TimeBins - 1);

    private static double[] Shares(double[] counts)
    {
        var total = counts.Sum();
        return [.. counts.Select(c => total == 0 ? 0 : c / total)];
    }
}
