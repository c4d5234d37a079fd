namespace CrnnGan.Inference.Data;

/// <summary>Percentiles of one step feature over the tones of many songs, in musical units.</summary>
public sealed record FeatureDistribution(string Name, string Unit, long Count, double Mean, IReadOnlyList<Percentile> Percentiles)
{
    /// <summary>The percentiles a corpus report shows: 1, 5, 25, 50, 75, 95 and 99.</summary>
    public static readonly double[] StandardPercentiles = [1, 5, 25, 50, 75, 95, 99];

    /// <summary>
    /// The four features of C-RNN-GAN's tone (time since the previous tone's onset, length, pitch, velocity)
    /// over every tone of <paramref name="songs"/>; the first tone of each song has no previous tone and adds
    /// no time delta.
    /// </summary>
    public static IReadOnlyList<FeatureDistribution> OfTones(IEnumerable<Song> songs)
    {
        List<double> deltas = [],
            lengths = [],
            pitches = [],
            velocities = [];
        foreach (var song in songs)
        {
            for (var i = 0; i < song.Tones.Count; i++)
            {
                var tone = song.Tones[i];
                if (i > 0)
                    deltas.Add(tone.Onset - song.Tones[i - 1].Onset);
                lengths.Add(tone.Duration);
                pitches.Add(tone.Pitch);
                velocities.Add(tone.Velocity);
            }
        }
        return
        [
            Of("time_delta", "quarters", deltas),
            Of("length", "quarters", lengths),
            Of("pitch", "MIDI note", pitches),
            Of("velocity", "MIDI", velocities),
        ];
    }

    /// <summary>Percentiles by linear interpolation between closest ranks.</summary>
    public static FeatureDistribution Of(string name, string unit, List<double> values)
    {
        values.Sort();
        var percentiles = StandardPercentiles.Select(p => new Percentile(p, values.Count == 0 ? double.NaN : Interpolate(values, p))).ToList();
        return new FeatureDistribution(name, unit, values.Count, values.Count == 0 ? double.NaN : values.Average(), percentiles);
    }

    private static double Interpolate(List<double> sorted, double percent)
    {
        var rank = percent / 100 * (sorted.Count - 1);
        var below = (int)Math.Floor(rank);
        var above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
    }
}

/// <summary>One percentile of a feature.</summary>
/// <param name="Percent">Which percentile (0–100).</param>
/// <param name="Value">The feature's value there, in its unit.</param>
public readonly record struct Percentile(double Percent, double Value);
