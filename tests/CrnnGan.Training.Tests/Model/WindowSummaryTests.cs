using CrnnGan.Training.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace CrnnGan.Training.Tests.Model;

/// <summary>The window's statistics a discriminator can read: each part counted as the evaluation counts it, and differentiable.</summary>
public sealed class WindowSummaryTests
{
    private static readonly int[] Sizes = [128, 3, 2, 2];

    private static readonly int[] Pitches = [60, 64, 67, 60, 64, 67, 72, 60];

    private static readonly int[] Times = [0, 1, 2, 0, 1, 2, 1, 1];

    /// <summary>One window of one-hot tones [1, steps, Σ classes]: the pitches and times above, length 1 and velocity 0 throughout.</summary>
    private static Tensor Window()
    {
        var window = zeros(1, Pitches.Length, Sizes.Sum());
        for (var t = 0; t < Pitches.Length; t++)
        {
            window[0, t, Pitches[t]] = tensor(1f);
            window[0, t, 128 + Times[t]] = tensor(1f);
            window[0, t, 128 + 3 + 1] = tensor(1f);
            window[0, t, 128 + 3 + 2] = tensor(1f);
        }
        return window;
    }

    [Fact]
    public void One_hot_tones_give_the_windows_histograms_unique_pitches_repetitions_and_register()
    {
        var s = WindowSummary.Of(Window(), Sizes)[0].data<float>().ToArray();

        Assert.Equal(WindowSummary.Width(Sizes), s.Length);
        Assert.Equal(12 + 49 + 3 + 2 + 2 + 4, s.Length);
        var classes = s[..12];
        Assert.Equal(12 * 4 / 8f, classes[0], 5); // C: 60, 60, 72, 60
        Assert.Equal(12 * 2 / 8f, classes[4], 5);
        Assert.Equal(12 * 2 / 8f, classes[7], 5);
        Assert.Equal(12f, classes.Sum(), 4);
        var intervals = s[12..61]; // +4 +3 −7 +4 +3 +5 −12 over the 7 steps that have a tone before
        Assert.Equal(49 * 2 / 7f, intervals[24 + 4], 4);
        Assert.Equal(49 * 1 / 7f, intervals[24 - 12], 4);
        Assert.Equal(0f, intervals[24]);
        Assert.Equal([3 * 2 / 8f, 3 * 4 / 8f, 3 * 2 / 8f], s[61..64]);
        Assert.Equal([0f, 2f, 2f, 0f], s[64..68]);
        var (unique, repetitions, mean, spread) = (s[68], s[69], s[70], s[71]);
        Assert.Equal(4 / 8f, unique); // 60, 64, 67, 72
        Assert.Equal(1 / 8f, repetitions); // 60 64 67 again from the fourth tone
        Assert.Equal(Pitches.Average() / 12, mean, 4);
        var expectedSpread = Math.Sqrt(Pitches.Select(p => Math.Pow(p - Pitches.Average(), 2)).Average()) / 12;
        Assert.Equal(expectedSpread, spread, 3);
    }

    [Fact]
    public void Relaxed_pitches_pass_the_gradient_of_every_statistic_to_the_pitches()
    {
        var window = Window();
        window[0, 3, 60] = tensor(0.5f);
        window[0, 3, 61] = tensor(0.5f);
        window.requires_grad_(true);

        var s = WindowSummary.Of(window, Sizes)[0];
        s[^3].backward(); // the repetitions: the fourth tone's weight on 60 is the repeat's

        Assert.Equal(0.5f / 8, s[^3].item<float>(), 5);
        Assert.True(window.grad!.abs().sum().item<float>() > 0);
        Assert.Equal(1 / 8f, window.grad![0, 3, 60].item<float>(), 5);
    }

    [Fact]
    public void A_discriminator_that_reads_the_summary_carries_it_beside_every_steps_features()
    {
        var settings = new ModelSettings(HiddenSize: 8, Family: ModelFamily.Tones, DiscriminatorSummary: true);
        var discriminator = new ToneDiscriminator(settings, Sizes);
        var window = Window();

        var features = discriminator.Features(window);

        Assert.Equal([1L, Pitches.Length, 16 + WindowSummary.Width(Sizes)], features.shape);
        var summary = WindowSummary.Of(window, Sizes).unsqueeze(1).expand(-1, Pitches.Length, -1);
        Assert.True(features[.., .., 16..].allclose(summary));
        Assert.Equal([1L], discriminator.call(window).shape);
    }
}
