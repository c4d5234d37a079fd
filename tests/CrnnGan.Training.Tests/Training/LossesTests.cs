using CrnnGan.Training.Training;
using static TorchSharp.torch;

namespace CrnnGan.Training.Tests.Training;

public sealed class LossesTests
{
    [Fact]
    public void The_discriminator_loss_matches_the_papers_formula_where_that_is_finite()
    {
        using var scope = NewDisposeScope();
        var real = tensor(new float[] { 2, -1, 0.5f, 3, 1, -2 }, [2, 3]);
        var generated = tensor(new float[] { -1, -3, 0, 0.2f, -0.5f, 1 }, [2, 3]);

        var dReal = nn.functional.sigmoid(real).mean([1]);
        var dGenerated = nn.functional.sigmoid(generated).mean([1]);
        var expected = (-dReal.log() - (1 - dGenerated).log()).mean().item<float>();

        Assert.Equal(expected, Losses.Discriminator(real, generated).item<float>(), 5);
    }

    [Fact]
    public void Losses_stay_finite_where_the_naive_formula_takes_the_log_of_zero()
    {
        using var scope = NewDisposeScope();
        var certain = full(2, 5, 200f);     // σ(200) rounds to 1 in float: log(1 − D) would be −∞
        var hopeless = full(2, 5, -200f);   // σ(−200) rounds to 0: log D would be −∞

        var discriminator = Losses.Discriminator(hopeless, certain).item<float>();
        var generator = Losses.Generator(hopeless, GeneratorLoss.NonSaturating).item<float>();
        var minimax = Losses.Generator(certain, GeneratorLoss.Minimax).item<float>();

        Assert.Equal(400f, discriminator, 2);
        Assert.Equal(200f, generator, 2);
        Assert.Equal(-200f, minimax, 2);
    }

    [Fact]
    public void Gradients_through_the_stable_losses_are_finite()
    {
        using var scope = NewDisposeScope();
        var logits = full(2, 5, 300f).requires_grad_();

        Losses.Discriminator(logits, logits).backward();

        Assert.All(logits.grad!.data<float>().ToArray(), g => Assert.True(float.IsFinite(g)));
    }

    [Fact]
    public void Feature_matching_is_the_mean_squared_difference_and_pulls_only_the_generated_side()
    {
        using var scope = NewDisposeScope();
        var real = tensor(new float[] { 1, 2, 3, 4 }, [1, 2, 2]).requires_grad_();
        var generated = tensor(new float[] { 1, 0, 3, 8 }, [1, 2, 2]).requires_grad_();

        var loss = Losses.FeatureMatching(real, generated);
        loss.backward();

        Assert.Equal((0 + 4 + 0 + 16) / 4f, loss.item<float>());
        Assert.Null(real.grad);
        Assert.NotNull(generated.grad);
    }
}
