using CrnnGan.Inference.Music;

namespace CrnnGan.Cli.Evaluation;

/// <summary>
/// Where a source's tones lie on the keyboard, which none of the paper's statistics measures: a generator whose
/// melodies climb to the top of the keyboard and stay there can match real music on all six.
/// </summary>
/// <param name="MeanPitch">Mean MIDI pitch over all tones; null without tones.</param>
/// <param name="DistanceToReal">Total variation distance between the source's distribution of pitches and real
/// music's: half the summed absolute difference of the shares of each MIDI pitch, 0 for the same distribution and
/// 1 when no pitch is shared (and for a source without tones).</param>
public sealed record PitchRegister(string Source, double? MeanPitch, double DistanceToReal)
{
    public static PitchRegister Of(MusicSource source, MusicSource real) => Of(source, Shares(Tones(real)));

    /// <summary>The register of each source, with real music's distribution of pitches counted once.</summary>
    public static IReadOnlyList<PitchRegister> Of(IEnumerable<MusicSource> sources, MusicSource real)
    {
        var realShares = Shares(Tones(real));
        return [.. sources.Select(source => Of(source, realShares))];
    }

    private static PitchRegister Of(MusicSource source, double[] realShares)
    {
        var tones = Tones(source);
        if (tones.Count == 0)
            return new PitchRegister(source.Name, null, 1);
        return new PitchRegister(
            source.Name,
            tones.Average(t => t.Pitch),
            0.5 * Shares(tones).Zip(realShares).Sum(p => Math.Abs(p.First - p.Second))
        );
    }

    private static List<Tone> Tones(MusicSource source) => [.. source.Pieces.SelectMany(p => p)];

    /// <summary>The share of the tones at each MIDI pitch.</summary>
    private static double[] Shares(List<Tone> tones)
    {
        var shares = new double[128];
        foreach (var tone in tones)
            shares[tone.Pitch] += 1.0 / tones.Count;
        return shares;
    }
}
