using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CrnnGan.Training.Training;

/// <summary>
/// L_D, the generator's game loss −log D(G(z)), feature matching when used, and what the generator minimises.
/// </summary>
public sealed record GameLoss(Tensor Discriminator, Tensor Generator, Tensor? FeatureMatching, Tensor Minimised)
{
    public LossSummary Summary(double? pretraining) =>
        new(pretraining, Discriminator.item<float>(), Generator.item<float>(), FeatureMatching?.item<float>());
}

/// <summary>The adversarial game of both model families: its losses, the paper's freezing and one update of each network.</summary>
public static class Game
{
    /// <summary>
    /// One batch of the game: one discriminator pass over the real songs and one over the generated songs, which L_D and
    /// the generator's loss share; <see cref="Update"/> sends each loss's gradient to its own network alone.
    /// </summary>
    public static GameLoss Play(Func<Tensor, Tensor> features, Func<Tensor, Tensor> logits, Tensor real, Tensor generated, GeneratorLoss loss)
    {
        var generatedFeatures = features(generated);
        return Losses(logits, features(real), generatedFeatures, generatedFeatures, loss);
    }

    /// <summary>
    /// The losses from the discriminator's features of real songs, of generated songs as L_D sees them, and of
    /// generated songs as the generator's gradient flows through them (one tensor where both read one pass).
    /// </summary>
    public static GameLoss Losses(
        Func<Tensor, Tensor> logits,
        Tensor realFeatures,
        Tensor generatedForDiscriminator,
        Tensor generatedFeatures,
        GeneratorLoss loss
    )
    {
        var generatedLogits = logits(generatedFeatures);
        var featureMatching = loss switch
        {
            GeneratorLoss.FeatureMatching => Training.Losses.FeatureMatching(realFeatures, generatedFeatures),
            GeneratorLoss.PairedFeatureMatching => Training.Losses.PairedFeatureMatching(realFeatures, generatedFeatures),
            GeneratorLoss.MomentMatching => Training.Losses.MomentMatching(realFeatures, generatedFeatures),
            _ => null,
        };
        return new GameLoss(
            Training.Losses.Discriminator(logits(realFeatures), logits(generatedForDiscriminator)),
            (-Training.Losses.LogD(generatedLogits)).mean(),
            featureMatching,
            featureMatching ?? Training.Losses.Generator(generatedLogits, loss)
        );
    }

    /// <summary>
    /// One update of each network, unless the paper's freezing makes it sit out: a network skips its update while
    /// its loss is below <see cref="TrainingSettings.FreezeRatio"/> of the other's. L_D sums two log-losses (real and
    /// generated) where L_G has one, so at the equilibrium D(x) = ½ they are 2 ln 2 and ln 2: comparing them as
    /// they are would freeze the generator exactly when the game is even. Each network's loss per term is compared
    /// instead (L_D / 2 against L_G); feature matching, which the generator may minimise instead, has a scale of
    /// its own and is not compared.
    /// </summary>
    public static (bool DiscriminatorUpdated, bool GeneratorUpdated) Update(
        GameLoss game,
        TrainingSettings settings,
        nn.Module generator,
        OptimizerHelper generatorOptimizer,
        nn.Module discriminator,
        OptimizerHelper discriminatorOptimizer
    )
    {
        double d = game.Discriminator.item<float>(),
            g = game.Generator.item<float>();
        var updateDiscriminator = !(d / 2 < settings.FreezeRatio * g);
        var updateGenerator = !(g < settings.FreezeRatio * d / 2);

        // Both backward passes run before either step changes the weights that the other's graph holds. Each reaches its
        // own network's weights alone: the losses share the discriminator's pass over the generated songs, so its graph is
        // kept for the second, and the discriminator's weight gradients of the generator's loss are never computed.
        generatorOptimizer.zero_grad();
        if (updateGenerator)
            game.Minimised.backward(retain_graph: updateDiscriminator, inputs: Trained(generator));
        discriminatorOptimizer.zero_grad();
        if (updateDiscriminator)
            game.Discriminator.backward(inputs: Trained(discriminator));
        if (updateGenerator)
        {
            nn.utils.clip_grad_norm_(generator.parameters(), settings.MaxGradientNorm);
            generatorOptimizer.step();
        }
        if (updateDiscriminator)
        {
            nn.utils.clip_grad_norm_(discriminator.parameters(), settings.MaxGradientNorm);
            discriminatorOptimizer.step();
        }
        return (updateDiscriminator, updateGenerator);
    }

    private static Tensor[] Trained(nn.Module network) => [.. network.parameters().Where(p => p.requires_grad)];

    public static OptimizerHelper Optimizer(TrainingSettings settings, IEnumerable<Parameter> parameters, double learningRate) =>
        settings.Optimizer switch
        {
            OptimizerKind.Adam => optim.Adam(parameters, learningRate, weight_decay: settings.L2),
            _ => optim.SGD(parameters, learningRate, weight_decay: settings.L2),
        };

    /// <summary>One optimiser over parameter groups, each learning at <paramref name="learningRate"/> times its factor.</summary>
    public static OptimizerHelper Optimizer(
        TrainingSettings settings,
        IReadOnlyList<IReadOnlyList<Parameter>> groups,
        IReadOnlyList<double> factors,
        double learningRate
    ) =>
        settings.Optimizer switch
        {
            OptimizerKind.Adam => optim.Adam(
                groups.Select((g, i) => new Adam.ParamGroup(g, learningRate * factors[i], 0.9, 0.999, 1e-8, settings.L2, false, false)),
                learningRate,
                weight_decay: settings.L2
            ),
            _ => optim.SGD(
                groups.Select((g, i) => new SGD.ParamGroup(g, learningRate * factors[i], 0, 0, settings.L2, false, false)),
                learningRate,
                weight_decay: settings.L2
            ),
        };

    /// <summary>The process's peak resident memory so far (native tensors included).</summary>
    public static double PeakMemoryMegabytes()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.PeakWorkingSet64 / 1048576.0;
    }
}
