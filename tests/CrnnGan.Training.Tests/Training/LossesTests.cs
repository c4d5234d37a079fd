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
        var certain = full(2, 5, 200f); // σ(200) rounds to 1 in float: log(1 − D) would be −∞
        var hopeless = full(2, 5, -200f); // σ(−200) rounds to 0: log D would be −∞

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
    public void Feature_matching_compares_batch_means_step_by_step_and_pulls_only_the_generated_side()
    {
        using var scope = NewDisposeScope();
        // [batch 2, steps 1, features 2]: real means (2, 3), generated means (2, 5).
        var real = tensor(new float[] { 1, 2, 3, 4 }, [2, 1, 2]).requires_grad_();
        var generated = tensor(new float[] { 1, 2, 3, 8 }, [2, 1, 2]).requires_grad_();

        var loss = Losses.FeatureMatching(real, generated);
        loss.backward();

        Assert.Equal((0 + 4) / 2f, loss.item<float>());
        Assert.Null(real.grad);
        Assert.NotNull(generated.grad);
    }

    [Fact]
    public void Feature_matching_is_satisfied_by_a_batch_as_varied_as_the_real_one_where_the_paired_form_wants_every_sample_average()
    {
        using var scope = NewDisposeScope();
        var real = tensor(new float[] { 0, 0, 4, 4 }, [2, 1, 2]);
        var varied = tensor(new float[] { 4, 4, 0, 0 }, [2, 1, 2]);
        var average = tensor(new float[] { 2, 2, 2, 2 }, [2, 1, 2]);

        Assert.Equal(0f, Losses.FeatureMatching(real, varied).item<float>());
        Assert.Equal(0f, Losses.FeatureMatching(real, average).item<float>());
        Assert.Equal(16f, Losses.PairedFeatureMatching(real, varied).item<float>());
        Assert.Equal(4f, Losses.PairedFeatureMatching(real, average).item<float>());
    }

    [Fact]
    public void Moment_matching_also_asks_the_generated_batch_to_vary_as_much_as_the_real_one()
    {
        using var scope = NewDisposeScope();
        // Real features 0 and 4 per column (mean 2, standard deviation 2); an all-average batch has the mean but no spread.
        var real = tensor(new float[] { 0, 0, 4, 4 }, [2, 1, 2]);
        var varied = tensor(new float[] { 4, 4, 0, 0 }, [2, 1, 2]);
        var average = tensor(new float[] { 2, 2, 2, 2 }, [2, 1, 2]).requires_grad_();

        Assert.Equal(0f, Losses.MomentMatching(real, varied).item<float>(), 1e-6f);
        var loss = Losses.MomentMatching(real, average);
        loss.backward();

        Assert.Equal(4f, loss.item<float>(), 1e-3f);
        Assert.All(average.grad!.data<float>().ToArray(), g => Assert.True(float.IsFinite(g)));
    }
}
