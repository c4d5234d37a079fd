using TorchSharp;
using static TorchSharp.torch;

namespace CrnnGan.Training.Model;

/// <summary>
/// A whole window's statistics, for a discriminator that reads them (<see cref="ModelSettings.DiscriminatorSummary"/>): what
/// the evaluation's two-sample test tells generated music from real by, and an LSTM reading one tone at a time does not
/// count. Computed from one-hot or relaxed tones, so that the generator's gradient reaches its logits:
/// <code>
/// s = [K_c · mean_t pitch class_t,  K_i · mean_t i_t,  K_d · mean_t onehot(d_t),  K_l · mean_t onehot(l_t),  K_v · mean_t onehot(v_t),
///      unique pitches ÷ steps,  3-tone repetitions ÷ steps,  mean pitch ÷ 12,  pitch spread ÷ 12]
/// </code>
/// Each histogram is scaled by its class count K so that its entries are about 1, as the LSTM's features are; a 3-tone
/// repetition is a tone that, with the two after it, repeats three pitches heard earlier in the window.
/// </summary>
public static class WindowSummary
{
    private const int PitchClasses = 12;

    private const int Scalars = 4;

    /// <summary>The width of s for tones of <paramref name="headSizes"/> (pitch first).</summary>
    public static int Width(IReadOnlyList<int> headSizes) => PitchClasses + ToneDiscriminator.IntervalClasses + headSizes.Skip(1).Sum() + Scalars;

    /// <summary>s for each window, [batch, width], from its tones' one-hots [batch, steps, Σ classes + anything read beside them].</summary>
    public static Tensor Of(Tensor oneHots, IReadOnlyList<int> headSizes)
    {
        var (batch, steps) = (oneHots.shape[0], oneHots.shape[1]);
        var pitches = oneHots.narrow(2, 0, headSizes[0]);
        var parts = new List<Tensor> { Histogram(PitchClassesOf(pitches)), Histogram(ToneDiscriminator.Intervals(pitches).narrow(1, 1, steps - 1)) };
        var from = headSizes[0];
        foreach (var size in headSizes.Skip(1))
        {
            parts.Add(Histogram(oneHots.narrow(2, from, size)));
            from += size;
        }
        var keys = arange(headSizes[0], dtype: ScalarType.Float32, device: oneHots.device) / PitchClasses;
        var mean = (pitches * keys).sum(2).mean([1]);
        var spread = ((pitches * (keys - mean.view(-1, 1, 1)).square()).sum(2).mean([1]) + 1e-6).sqrt();
        var unique = pitches.amax([1]).sum(1) / steps;
        parts.Add(stack([unique, Repetitions(pitches), mean, spread], 1));
        return cat(parts, 1);
    }

    /// <summary>Weights over pitches [batch, steps, pitches] folded onto the 12 pitch classes.</summary>
    private static Tensor PitchClassesOf(Tensor pitches)
    {
        var (batch, steps, keys) = (pitches.shape[0], pitches.shape[1], pitches.shape[2]);
        var octaves = (keys + PitchClasses - 1) / PitchClasses;
        return nn.functional.pad(pitches, [0, octaves * PitchClasses - keys]).reshape(batch, steps, octaves, PitchClasses).sum(2);
    }

    /// <summary>The mean over steps of weights over classes [batch, steps, K], times K: [batch, K].</summary>
    private static Tensor Histogram(Tensor weights) => weights.mean([1]) * weights.shape[2];

    /// <summary>
    /// The share of steps t whose pitches t, t+1 and t+2 repeat those of some earlier s, t+1 and s+2 [batch]; between
    /// one-hots, exactly that share.
    /// </summary>
    private static Tensor Repetitions(Tensor pitches)
    {
        var steps = pitches.shape[1];
        var same = pitches.bmm(pitches.transpose(1, 2));
        var n = steps - 2;
        var three = same.narrow(1, 0, n).narrow(2, 0, n) * same.narrow(1, 1, n).narrow(2, 1, n) * same.narrow(1, 2, n).narrow(2, 2, n);
        var earlier = ones(n, n, device: pitches.device).tril(-1);
        return (three * earlier).sum(2).clamp_max(1).sum(1) / steps;
    }
}
