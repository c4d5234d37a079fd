namespace CrnnGan.Functions.Tests.Page;

/// <summary>
/// Where new notes start in rendered audio: the energy of the signal's first difference (which a struck note's attack
/// raises far more than a note that sounds on) in 2.5 ms frames, and the frames where it rises over <c>rise</c> times
/// its mean 10–30 ms before. Enough to check a synthesizer against a score; not a general onset detector.
/// </summary>
public static class AudioOnsets
{
    private const double Frame = 0.0025;

    /// <summary>Onset times in seconds, at least 50 ms apart.</summary>
    public static IReadOnlyList<double> Detect(WaveFile wave, double rise = 4)
    {
        var hop = (int)(wave.SampleRate * Frame);
        var energy = new double[wave.Mono.Length / hop];
        for (var k = 0; k < energy.Length; k++)
        for (var n = Math.Max(1, k * hop); n < (k + 1) * hop; n++)
        {
            var d = wave.Mono[n] - wave.Mono[n - 1];
            energy[k] += d * d;
        }
        var loudest = energy.Max();
        double Time(int frame) => (double)frame * hop / wave.SampleRate;
        var onsets = new List<double>();
        for (var k = 12; k < energy.Length; k++)
        {
            var before = Mean(energy.AsSpan(k - 12, 8)) + 1e-5 * loudest;
            if (energy[k] > rise * before && energy[k] > 1e-4 * loudest && (onsets.Count == 0 || Time(k) - onsets[^1] > 0.05))
                onsets.Add(Time(k));
        }
        return onsets;
    }

    private static double Mean(ReadOnlySpan<double> values)
    {
        var sum = 0.0;
        foreach (var v in values)
            sum += v;
        return sum / values.Length;
    }

    /// <summary>The share of <paramref name="expected"/> times with a detected onset within <paramref name="tolerance"/> seconds.</summary>
    public static double Matched(IEnumerable<double> expected, IReadOnlyList<double> detected, double tolerance) =>
        expected.Select(t => detected.Any(d => Math.Abs(d - t) <= tolerance) ? 1.0 : 0.0).DefaultIfEmpty(0).Average();
}
