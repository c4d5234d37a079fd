using static TorchSharp.torch;

namespace CrnnGan.Training.Training;

/// <summary>
/// The losses of C-RNN-GAN, computed from the discriminator's per-step logits so that no log ever sees 0.
/// D(x) = mean_t σ(l_t), so log D(x) = logsumexp_t log σ(l_t) − log T, and since 1 − σ(l) = σ(−l),
/// log(1 − D(x)) = logsumexp_t log σ(−l_t) − log T: both exact and finite for any logits.
/// </summary>
public static class Losses
{
    /// <summary>log D(x) per sequence, from logits [batch, steps].</summary>
    public static Tensor LogD(Tensor logits) => nn.functional.logsigmoid(logits).logsumexp(1) - Math.Log(logits.shape[1]);

    /// <summary>log(1 − D(x)) per sequence, from logits [batch, steps].</summary>
    public static Tensor LogOneMinusD(Tensor logits) => nn.functional.logsigmoid(-logits).logsumexp(1) - Math.Log(logits.shape[1]);

    /// <summary>L_D = mean(−log D(x) − log(1 − D(G(z)))).</summary>
    public static Tensor Discriminator(Tensor realLogits, Tensor generatedLogits) => (-LogD(realLogits) - LogOneMinusD(generatedLogits)).mean();

    /// <summary>The generator's loss against the discriminator: minimax or non-saturating.</summary>
    public static Tensor Generator(Tensor generatedLogits, GeneratorLoss loss) =>
        loss switch
        {
            GeneratorLoss.Minimax => LogOneMinusD(generatedLogits).mean(),
            GeneratorLoss.NonSaturating => (-LogD(generatedLogits)).mean(),
            _ => throw new ArgumentOutOfRangeException(nameof(loss), loss, "Feature matching is computed from features, not logits."),
        };

    /// <summary>
    /// Feature matching as in Salimans et al. (2016): the mean squared difference between the batch means of
    /// the discriminator's r_t [batch, steps, features] on real and on generated sequences, step by step. The
    /// mean over steps and features (where the reference sums) keeps the loss's scale independent of length and
    /// width, so that the freezing rule compares like with like.
    /// </summary>
    public static Tensor FeatureMatching(Tensor realFeatures, Tensor generatedFeatures) =>
        (realFeatures.detach().mean([0]) - generatedFeatures.mean([0])).square().mean();

    /// <summary>
    /// <see cref="FeatureMatching"/> plus the mean squared difference between the batch standard deviations of the features,
    /// step by step, so that the generated windows differ from one another as much as real ones do.
    /// </summary>
    public static Tensor MomentMatching(Tensor realFeatures, Tensor generatedFeatures) =>
        FeatureMatching(realFeatures, generatedFeatures) + (Spread(realFeatures.detach()) - Spread(generatedFeatures)).square().mean();

    // The small floor keeps the square root's gradient finite where every window agrees.
    private static Tensor Spread(Tensor features) => features.var(0, unbiased: false).add(1e-8).sqrt();

    /// <summary>The reference code's feature matching: sample i against sample i, the mean squared difference.</summary>
    public static Tensor PairedFeatureMatching(Tensor realFeatures, Tensor generatedFeatures) =>
        (realFeatures.detach() - generatedFeatures).square().mean();

    /// <summary>Pretraining: squared error of next-step prediction.</summary>
    public static Tensor Pretraining(Tensor predicted, Tensor real) => (predicted - real).square().mean();
}
