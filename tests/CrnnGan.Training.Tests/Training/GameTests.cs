using CrnnGan.TestSupport;
using CrnnGan.Training.Model;
using CrnnGan.Training.Training;
using static TorchSharp.torch;

namespace CrnnGan.Training.Tests.Training;

public sealed class GameTests
{
    private static readonly TrainingSettings Settings = new()
    {
        Optimizer = OptimizerKind.Sgd,
        FreezeRatio = 0,
        MaxGradientNorm = 1e9,
        GeneratorLoss = GeneratorLoss.FeatureMatching,
    };

    [Fact]
    public void Each_network_takes_the_gradient_of_its_own_loss_from_the_shared_pass()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var generator = nn.Linear(3, 4);
        var discriminator = new ToneDiscriminator(
            new ModelSettings(HiddenSize: 5, Layers: 2, Dropout: 0, Family: ModelFamily.Tones),
            [3, 1],
            zeroTime: 0
        );
        var (noise, real) = (randn(6, 7, 3), randn(6, 7, 4));
        GameLoss Play() => Game.Play(discriminator.Features, discriminator.Logits, real, generator.call(noise), Settings.GeneratorLoss);

        var reference = Play();
        var generatorParameters = generator.parameters().Select(p => (Tensor)p).ToList();
        var discriminatorParameters = discriminator.parameters().Select(p => (Tensor)p).ToList();
        var expectedGenerator = autograd.grad([reference.Minimised], generatorParameters, retain_graph: true);
        var expectedDiscriminator = autograd.grad([reference.Discriminator], discriminatorParameters);
        var updated = Game.Update(
            Play(),
            Settings,
            generator,
            Game.Optimizer(Settings, generator.parameters(), 0),
            discriminator,
            Game.Optimizer(Settings, discriminator.parameters(), 0)
        );

        Assert.Equal((true, true), updated);
        foreach (var (parameter, expected) in generatorParameters.Zip(expectedGenerator).Concat(discriminatorParameters.Zip(expectedDiscriminator)))
            Assert.True(parameter.grad!.allclose(expected, rtol: 1e-5, atol: 1e-7));
    }

    [Fact]
    public void A_trainer_runs_lstms_on_aten_kernels_on_linux()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "The kernel switch is looked up by its Linux symbol name.");
        var settings = new TrainingSettings { Model = new ModelSettings(TonesPerStep: 1, HiddenSize: 4, Layers: 1), BatchSize = 2 };
        var songs = SyntheticSongs.Make(4, seed: 1);

        using var trainer = Trainer.Create(settings, CPU, songs);

        Assert.True(LibTorchKernels.AtenLstm);
    }
}
