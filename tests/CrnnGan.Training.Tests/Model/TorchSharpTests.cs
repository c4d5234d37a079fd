using CrnnGan.Training.Model;
using TorchSharp;
using static TorchSharp.torch;
using Generator = CrnnGan.Training.Model.Generator;

namespace CrnnGan.Training.Tests.Model;

/// <summary>
/// TorchSharp's native library loads from the build output (on Debian 12 only after the build marks its
/// GLIBCXX_3.4.32 requirement weak) and the paper's networks train.
/// </summary>
public sealed class TorchSharpTests
{
    private static readonly ModelSettings Tiny = new(TonesPerStep: 1, HiddenSize: 16, Layers: 2, Dropout: 0);

    [Fact]
    public void LibTorch_loads_and_computes()
    {
        using var scope = NewDisposeScope();
        var product = matmul(ones(2, 3), ones(3, 4));

        Assert.Equal([2L, 4L], product.shape);
        Assert.Equal(3f, product[1, 2].item<float>());
    }

    [Fact]
    public void One_sgd_step_on_the_generator_lowers_its_pretraining_loss()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(1);
        var generator = new Generator(Tiny);
        var optimizer = optim.SGD(generator.parameters(), learningRate: 0.1);
        var real = rand(4, 12, Tiny.Features);
        var noise = rand(4, 12, Tiny.Noise);
        var first = rand(4, Tiny.Features);

        float Loss() => nn.functional.mse_loss(generator.PredictNext(noise, real, first), real).item<float>();

        var before = Loss();
        optimizer.zero_grad();
        nn.functional.mse_loss(generator.PredictNext(noise, real, first), real).backward();
        optimizer.step();

        Assert.True(Loss() < before, $"loss {before} did not fall");
    }

    [Fact]
    public void The_networks_have_the_papers_shapes_and_sizes()
    {
        using var scope = NewDisposeScope();
        var paper = new ModelSettings();
        var generator = new Generator(paper);
        var discriminator = new Discriminator(paper);

        var generated = generator.call(rand(3, 7, paper.Noise), rand(3, paper.Features));
        Assert.Equal([3L, 7L, 4L], generated.shape);
        Assert.Equal([3L, 7L, 700L], discriminator.Features(generated).shape);
        var probability = discriminator.call(generated);
        Assert.Equal([3L], probability.shape);
        Assert.All(probability.data<float>().ToArray(), p => Assert.InRange(p, 0f, 1f));

        // The paper's reference: about 1.97 M parameters in G and 2.96 M in D at four features and 350 units.
        Assert.InRange(generator.parameters().Sum(p => p.numel()), 1.9e6, 2.0e6);
        Assert.InRange(discriminator.parameters().Sum(p => p.numel()), 2.9e6, 3.0e6);
    }
}
