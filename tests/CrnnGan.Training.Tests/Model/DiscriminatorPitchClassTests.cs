using CrnnGan.Inference.Features;
using CrnnGan.Training.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace CrnnGan.Training.Tests.Model;

/// <summary>The discriminator's optional pitch-class inputs: what it reads, and that they let it hear a key.</summary>
public sealed class DiscriminatorPitchClassTests
{
    private static readonly int[] CMajor = [0, 2, 4, 5, 7, 9, 11];

    [Theory]
    [InlineData(128)]
    [InlineData(16)]
    public void Octaves_read_alike_and_other_classes_differ(int pitchDivisor)
    {
        using var scope = NewDisposeScope();
        var discriminator = new Discriminator(new ModelSettings(HiddenSize: 8, PitchDivisor: pitchDivisor, DiscriminatorPitchClass: true));
        var steps = Steps(
            [
                [60, 72, 67],
            ],
            pitchDivisor
        );

        var inputs = discriminator.Inputs(steps);

        Assert.Equal([1L, 3L, 6L], inputs.shape);
        Assert.True(inputs[0, .., ..4].allclose(steps[0]), "the step's own features come first, unchanged");
        var classes = inputs[0, .., 4..];
        Assert.True(classes[0].allclose(classes[1], atol: 1e-5), "C4 and C5 are the same pitch class");
        Assert.True(classes[0].allclose(tensor(new[] { 1f, 0f }), atol: 1e-5));
        Assert.True(classes[2].allclose(tensor(new[] { (float)Math.Cos(2 * Math.PI * 7 / 12), (float)Math.Sin(2 * Math.PI * 7 / 12) }), atol: 1e-5));
    }

    [Fact]
    public void Without_the_setting_it_reads_the_papers_features_only()
    {
        using var scope = NewDisposeScope();
        var discriminator = new Discriminator(new ModelSettings(HiddenSize: 8));

        Assert.Equal(
            [1L, 3L, 4L],
            discriminator
                .Inputs(
                    Steps([
                        [60, 72, 67],
                    ])
                )
                .shape
        );
    }

    [Fact]
    public void The_pitch_class_gives_a_generated_pitch_a_gradient_towards_a_class()
    {
        using var scope = NewDisposeScope();
        var discriminator = new Discriminator(new ModelSettings(HiddenSize: 8, DiscriminatorPitchClass: true));
        var steps = Steps([
                [61.5f],
            ])
            .requires_grad_();

        // The class read-out alone: how close the pitch's class is to C.
        discriminator.Inputs(steps)[0, 0, 4].backward();

        var gradient = steps.grad!.data<float>()[StepLayout.PitchIndex(0)];
        Assert.True(gradient < 0, $"moving C#4½ down brings it nearer C; gradient {gradient}");
    }

    // Seeded training runs differ between processors (LibTorch picks its kernels per processor, and their rounding
    // leads training elsewhere): one seed gave 95% here and 72% on another machine. The claims are therefore made
    // on the mean over three seeds, at margins that every processor measured so far clears: here 94–97% with pitch
    // classes, 47–66% without, 55–66% with input dropout 0.5, under ATEN_CPU_CAPABILITY default, avx2 and avx512.
    private static readonly int[] Seeds = [7, 8, 9];

    private static readonly Lazy<double> WithClasses = new(() => Seeds.Average(seed => AccuracyAfterTraining(seed, pitchClass: true)));

    [Fact]
    public void With_pitch_classes_a_small_discriminator_learns_to_hear_tones_outside_the_key_and_without_it_does_not()
    {
        var paper = Seeds.Average(seed => AccuracyAfterTraining(seed, pitchClass: false));

        Assert.True(WithClasses.Value > 0.7, $"with pitch classes: {WithClasses.Value:P0} of fresh songs told apart");
        Assert.True(paper < WithClasses.Value - 0.15, $"the paper's inputs: {paper:P0}, with pitch classes {WithClasses.Value:P0}");
    }

    [Fact]
    public void The_references_input_dropout_of_one_half_hides_the_key_from_the_pitch_classes()
    {
        var reference = Seeds.Average(seed => AccuracyAfterTraining(seed, pitchClass: true, inputDropout: 0.5));

        // Dropping cos or sin alone moves a tone to another class on the circle.
        Assert.True(reference < WithClasses.Value - 0.1, $"input dropout 0.5: {reference:P0}, none: {WithClasses.Value:P0}");
    }

    /// <summary>
    /// Trains a small discriminator (no dropout but on its inputs, as asked) to tell songs in C major (over three
    /// octaves) from the same kind of songs with every other tone a semitone higher, and returns its accuracy on
    /// fresh songs.
    /// </summary>
    private static double AccuracyAfterTraining(int seed, bool pitchClass, double inputDropout = 0)
    {
        using var scope = NewDisposeScope();
        random.manual_seed(seed);
        var discriminator = new Discriminator(
            new ModelSettings(HiddenSize: 16, Layers: 1, Dropout: 0, DiscriminatorPitchClass: pitchClass, DiscriminatorInputDropout: inputDropout)
        );
        var optimizer = optim.Adam(discriminator.parameters(), lr: 0.02);
        var rng = new Random(seed - 4);
        Tensor Songs(bool inKey) =>
            Steps([
                .. Enumerable
                    .Range(0, 32)
                    .Select(_ =>
                        Enumerable.Range(0, 16).Select(i => 48f + 12 * rng.Next(3) + CMajor[rng.Next(7)] + (!inKey && i % 2 == 1 ? 1 : 0)).ToArray()
                    ),
            ]);

        for (var step = 0; step < 400; step++)
        {
            using var stepScope = NewDisposeScope();
            var logits = cat(
                [discriminator.Logits(discriminator.Features(Songs(inKey: true))), discriminator.Logits(discriminator.Features(Songs(inKey: false)))],
                0
            );
            optimizer.zero_grad();
            nn.functional.binary_cross_entropy_with_logits(logits, cat([ones(32, 16), zeros(32, 16)], 0)).backward();
            optimizer.step();
        }

        using var noGradient = no_grad();
        discriminator.eval();
        var right =
            (discriminator.call(Songs(inKey: true)) > 0.5).sum().item<long>() + (discriminator.call(Songs(inKey: false)) <= 0.5).sum().item<long>();
        return right / 64.0;
    }

    /// <summary>Normalised monophonic steps, a quarter note apart, for the given pitches (one row per song).</summary>
    private static Tensor Steps(float[][] songs, int pitchDivisor = FeatureScaling.DefaultPitchDivisor)
    {
        var values = songs.SelectMany(song => song.SelectMany(pitch => new[] { 1f, 1f, pitch, 80f })).ToArray();
        FeatureScaling.Normalise(values, FeatureScaling.Factors(StepLayout.Monophonic, pitchDivisor));
        return tensor(values).reshape(songs.Length, songs[0].Length, StepLayout.Monophonic.FeaturesPerStep);
    }
}
