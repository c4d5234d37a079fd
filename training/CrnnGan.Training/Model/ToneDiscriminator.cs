using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CrnnGan.Training.Model;

/// <summary>
/// The tone family's discriminator: C-RNN-GAN's forward and backward LSTM stacks and per-step score, reading
/// tones as one-hot vectors, one per head, side by side. Real tones are exactly one-hot; generated ones are
/// relaxed (Gumbel-softmax), so that the generator's gradient reaches its logits. The first layer is linear
/// in the one-hots, which makes it an embedding of each class that also takes the weighted mixtures the
/// relaxation gives. With <see cref="ModelSettings.DiscriminatorPlace"/> it also reads c_t, where the tone before started
/// within its sixteenth note (and the song's timing), as one-hots the host computes from the hard draws; with
/// <see cref="ModelSettings.DiscriminatorIntervals"/>, i_t, the interval from the tone before (<see cref="Intervals"/>); with
/// <see cref="ModelSettings.DiscriminatorSummary"/> every step's features also carry the whole window's statistics s
/// (<see cref="WindowSummary"/>), standardised by real windows' (<see cref="Standardise"/>), so that feature matching matches
/// their means in units of real music's spread, as the evaluation's Fréchet distance does:
/// <code>
/// e_t = W_e · [onehot(p_t), onehot(d_t), onehot(l_t), onehot(v_t), c_t, i_t]
/// r_t = [LSTM_fw(e)_t, LSTM_bw(e)_t, (s − μ_real) / σ_real]
/// D(x) = mean_t σ(w · r_t + b)
/// </code>
/// </summary>
public sealed class ToneDiscriminator : nn.Module<Tensor, Tensor>
{
    private readonly Linear embedding;
    private readonly LSTM forwardStack;
    private readonly LSTM backwardStack;
    private readonly Linear score;
    private readonly Tensor? summaryMean;
    private readonly Tensor? summaryScale;
    private readonly int zeroTime;

    /// <summary>The discriminator of tones of <paramref name="headSizes"/>, whose time 0 is the time class <paramref name="zeroTime"/>.</summary>
    public ToneDiscriminator(ModelSettings settings, IReadOnlyList<int> headSizes, int zeroTime)
        : base("tone_discriminator")
    {
        HeadSizes = headSizes;
        this.zeroTime = zeroTime;
        if (settings.DiscriminatorSummary)
            (summaryMean, summaryScale) = (zeros(WindowSummary.Width), ones(WindowSummary.Width));
        embedding = nn.Linear(headSizes.Sum() + settings.DiscriminatorContext, settings.HiddenSize);
        forwardStack = nn.LSTM(settings.HiddenSize, settings.HiddenSize, settings.Layers, batchFirst: true, dropout: settings.Dropout);
        backwardStack = nn.LSTM(settings.HiddenSize, settings.HiddenSize, settings.Layers, batchFirst: true, dropout: settings.Dropout);
        score = nn.Linear(2 * settings.HiddenSize + (settings.DiscriminatorSummary ? WindowSummary.Width : 0), 1);
        RegisterComponents();
    }

    /// <summary>
    /// Sets μ_real and σ_real from real windows' <see cref="Summary"/> [windows, width]: constants of the run, kept in its
    /// checkpoints, never learnt. A statistic that is the same in every real window keeps σ = 1.
    /// </summary>
    public void Standardise(Tensor s)
    {
        using var noGrad = no_grad();
        var sigma = s.std([0]);
        summaryMean!.copy_(s.mean([0]));
        summaryScale!.copy_(where(sigma.gt(1e-6), sigma.reciprocal(), ones_like(sigma)));
    }

    /// <summary>s of each window, [windows, <see cref="WindowSummary.Width"/>], as it reads them: not yet standardised.</summary>
    public Tensor Summary(Tensor oneHots) => WindowSummary.Of(oneHots, HeadSizes, zeroTime);

    public IReadOnlyList<int> HeadSizes { get; }

    /// <summary>How far the intervals read reach each way, in semitones: two octaves, as the melodic interval statistic's.</summary>
    public const int IntervalReach = 24;

    /// <summary>The intervals read: −<see cref="IntervalReach"/> to +<see cref="IntervalReach"/> semitones.</summary>
    public const int IntervalClasses = 2 * IntervalReach + 1;

    /// <summary>
    /// i_t, the interval from the tone before to each tone as weights over −reach to +reach semitones [batch, steps, classes],
    /// from one-hot or relaxed pitches [batch, steps, pitches]: i_t[k] = Σ_p onehot(p_{t−1})[p] · onehot(p_t)[p + k]. Between
    /// one-hot tones it is the interval's one-hot, or all 0 beyond reach and at the first tone; between relaxed ones the
    /// generator's gradient reaches both tones' pitch logits.
    /// </summary>
    public static Tensor Intervals(Tensor pitches)
    {
        var (batch, steps, classes) = (pitches.shape[0], pitches.shape[1], pitches.shape[2]);
        var (before, now) = (pitches.narrow(1, 0, steps - 1), pitches.narrow(1, 1, steps - 1));
        var intervals = Enumerable
            .Range(-IntervalReach, IntervalClasses)
            .Select(k => (before.narrow(2, Math.Max(0, -k), classes - Math.Abs(k)) * now.narrow(2, Math.Max(0, k), classes - Math.Abs(k))).sum(2));
        return cat([zeros(batch, 1, IntervalClasses, device: pitches.device), stack(intervals, 2)], dim: 1);
    }

    /// <summary>Class indices [batch, steps, heads] as the one-hots this network reads: [batch, steps, Σ classes].</summary>
    public Tensor OneHot(Tensor tones) =>
        cat([.. HeadSizes.Select((size, k) => nn.functional.one_hot(tones[.., .., k], size).to_type(ScalarType.Float32))], dim: 2);

    /// <summary>
    /// r_t for every step: [batch, steps, 2 × hidden (+ the summary's width)], from one-hot or relaxed tones and what is read
    /// beside them [batch, steps, Σ classes + context].
    /// </summary>
    public Tensor Features(Tensor oneHots)
    {
        var x = embedding.call(oneHots);
        var (forwards, _, _) = forwardStack.call(x);
        var (backwards, _, _) = backwardStack.call(x.flip(1));
        if (summaryMean is null || summaryScale is null)
            return cat([forwards, backwards.flip(1)], dim: 2);
        var s = ((Summary(oneHots) - summaryMean) * summaryScale).unsqueeze(1).expand(-1, x.shape[1], -1);
        return cat([forwards, backwards.flip(1), s], dim: 2);
    }

    /// <summary>The per-step logits w · r_t + b: [batch, steps].</summary>
    public Tensor Logits(Tensor features) => score.call(features).squeeze(-1);

    /// <summary>D(x): the probability that each sequence is real: [batch].</summary>
    public override Tensor forward(Tensor oneHots) => nn.functional.sigmoid(Logits(Features(oneHots))).mean([1]);
}
