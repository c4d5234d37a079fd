using CrnnGan.Training.Model;
using static TorchSharp.torch;

namespace CrnnGan.Training.Tests.Model;

/// <summary>The discriminator's input dropout: the reference's rate by default, its own when set.</summary>
public sealed class DiscriminatorInputDropoutTests
{
    [Fact]
    public void By_default_the_inputs_drop_at_the_models_rate()
    {
        using var scope = NewDisposeScope();
        var (training, evaluation) = FeaturesInTrainingAndEvaluation(new ModelSettings(HiddenSize: 8, Layers: 1, Dropout: 0.5));

        Assert.False(training.allclose(evaluation), "a one-layer discriminator differs in training only by its input dropout");
    }

    [Fact]
    public void An_input_dropout_of_zero_reads_every_input_while_training()
    {
        using var scope = NewDisposeScope();
        var (training, evaluation) = FeaturesInTrainingAndEvaluation(
            new ModelSettings(HiddenSize: 8, Layers: 1, Dropout: 0.5, DiscriminatorInputDropout: 0)
        );

        Assert.True(training.allclose(evaluation, atol: 1e-6));
    }

    private static (Tensor Training, Tensor Evaluation) FeaturesInTrainingAndEvaluation(ModelSettings settings)
    {
        random.manual_seed(11);
        var discriminator = new Discriminator(settings);
        var steps = rand(4, 6, settings.Features);
        discriminator.train();
        var training = discriminator.Features(steps);
        discriminator.eval();
        return (training, discriminator.Features(steps));
    }
}
