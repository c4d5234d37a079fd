using TorchSharp;
using static TorchSharp.torch;

namespace CrnnGan.Training.Model;

/// <summary>
/// A whole window's statistics, for a discriminator that reads them (<see cref="ModelSettings.DiscriminatorSummary"/>): the
/// parts of the evaluation's two-sample test that give the generator away most (the paper's statistics and the melodic
/// intervals), which an LSTM reading one tone at a time does not count. Computed from one-hot or relaxed tones, so that the
/// generator's gradient reaches its logits:
/// <code>
/// s = [mean_t pitch class_t, mean_t i_t, polyphony, unique pitches ÷ steps, 3-tone repetitions ÷ steps, mean pitch ÷ 12, spread ÷ 12]
/// </code>
/// Counted as <see cref="CrnnGan.Inference.Statistics.ToneStatistics"/> counts them on a window's tones in chord order:
/// polyphony is the share of onsets at which a chord's next key follows (the next tone's time is 0); a 3-tone repetition is
/// a pair of windows of three pitches, the later starting after the earlier ends.
/// </summary>
public static class WindowSummary
{
    private const int PitchClasses = 12;

    private const int PatternLength = 3;

    /// <summary>The width of s.</summary>
    public const int Width = PitchClasses + ToneDiscriminator.IntervalClasses + 5;

    /// <summary>
    /// s for each window, [batch, width], from its tones' one-hots [batch, steps, Σ classes + anything read beside them], whose
    /// time 0 is the time class <paramref name="zeroTime"/>.
    /// </summary>
    public static Tensor Of(Tensor oneHots, IReadOnlyList<int> headSizes, int zeroTime)
    {
        var steps = oneHots.shape[1];
        var pitches = oneHots.narrow(2, 0, headSizes[0]);
        var keys = arange(headSizes[0], dtype: ScalarType.Float32, device: oneHots.device) / PitchClasses;
        var mean = (pitches * keys).sum(2).mean([1]);
        var spread = ((pitches * (keys - mean.view(-1, 1, 1)).square()).sum(2).mean([1]) + 1e-6).sqrt();
        var unique = pitches.amax([1]).sum(1) / steps;
        var chordKey = oneHots[.., .., headSizes[0] + zeroTime];
        return cat(
            [
                PitchClassesOf(pitches).mean([1]),
                ToneDiscriminator.Intervals(pitches).narrow(1, 1, steps - 1).mean([1]),
                stack([Polyphony(chordKey), unique, Repetitions(pitches) / steps, mean, spread], 1),
            ],
            1
        );
    }

    /// <summary>Weights over pitches [batch, steps, pitches] folded onto the 12 pitch classes.</summary>
    private static Tensor PitchClassesOf(Tensor pitches)
    {
        var (batch, steps, keys) = (pitches.shape[0], pitches.shape[1], pitches.shape[2]);
        var octaves = (keys + PitchClasses - 1) / PitchClasses;
        return nn.functional.pad(pitches, [0, octaves * PitchClasses - keys]).reshape(batch, steps, octaves, PitchClasses).sum(2);
    }

    /// <summary>
    /// The share of onsets at which two or more tones start [batch], from each tone's weight on the time 0 [batch, steps]: an
    /// onset is a tone whose time is not 0 (the first always), and its chord has a second key when the next tone's time is 0.
    /// </summary>
    private static Tensor Polyphony(Tensor chordKey)
    {
        var steps = chordKey.shape[1];
        var onset = cat([ones_like(chordKey.narrow(1, 0, 1)), 1 - chordKey.narrow(1, 1, steps - 1)], 1);
        var chord = (onset.narrow(1, 0, steps - 1) * chordKey.narrow(1, 1, steps - 1)).sum(1);
        return chord / onset.sum(1);
    }

    /// <summary>Pairs (s, t), s + 3 ≤ t, whose pitches s..s+2 equal t..t+2 [batch]; between relaxed tones, their weight.</summary>
    private static Tensor Repetitions(Tensor pitches)
    {
        var n = pitches.shape[1] - PatternLength + 1;
        var same = pitches.bmm(pitches.transpose(1, 2));
        var all = Enumerable.Range(0, PatternLength).Select(j => same.narrow(1, j, n).narrow(2, j, n)).Aggregate((a, b) => a * b);
        return (all * ones(n, n, device: pitches.device).tril(-PatternLength)).sum([1, 2]);
    }
}
