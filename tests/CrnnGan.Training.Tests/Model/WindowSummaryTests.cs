using CrnnGan.Inference.Music;
using CrnnGan.Inference.Statistics;
using CrnnGan.Training.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace CrnnGan.Training.Tests.Model;

/// <summary>The window's statistics a discriminator can read: each part counted as the evaluation counts it, and differentiable.</summary>
public sealed class WindowSummaryTests
{
    private static readonly int[] Sizes = [128, 3, 2, 2];

    private static readonly int[] Pitches = [60, 64, 67, 60, 64, 67, 72, 60];

    private static readonly int[] Times = [0, 1, 1, 1, 0, 2, 1, 1];

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
    public void One_hot_tones_give_the_windows_pitch_classes_intervals_and_statistics_as_the_evaluation_counts_them()
    {
        var s = WindowSummary.Of(Window(), Sizes, zeroTime: 0)[0].data<float>().ToArray();

        Assert.Equal(WindowSummary.Width, s.Length);
        var classes = s[..12];
        Assert.Equal(4 / 8f, classes[0], 5); // C: 60, 60, 72, 60
        Assert.Equal(2 / 8f, classes[4], 5);
        Assert.Equal(2 / 8f, classes[7], 5);
        Assert.Equal(1f, classes.Sum(), 5);
        var intervals = s[12..61]; // +4 +3 −7 +4 +3 +5 −12 over the 7 steps that have a tone before
        Assert.Equal(2 / 7f, intervals[24 + 4], 5);
        Assert.Equal(1 / 7f, intervals[24 - 12], 5);
        Assert.Equal(0f, intervals[24]);
        var (polyphony, unique, repetitions, mean, spread) = (s[61], s[62], s[63], s[64], s[65]);
        Assert.Equal(1 / 7f, polyphony, 5); // 7 onsets; the fourth has a second key, above its first
        Assert.Equal(4 / 8f, unique); // 60, 64, 67, 72
        Assert.Equal(1 / 8f, repetitions); // 60 64 67 again from the fourth tone
        Assert.Equal(Pitches.Average() / 12, mean, 4);
        var expectedSpread = Math.Sqrt(Pitches.Select(p => Math.Pow(p - Pitches.Average(), 2)).Average()) / 12;
        Assert.Equal(expectedSpread, spread, 3);
        var statistics = ToneStatistics.Of([.. Pitches.Select((p, t) => new Tone(Onset(t), 0.25, p, 64))]);
        Assert.Equal(statistics.Polyphony, polyphony, 5);
        Assert.Equal(statistics.UniqueTones / 8f, unique);
        Assert.Equal(statistics.Repetitions3 / 8f, repetitions);
    }

    /// <summary>The onset of tone <paramref name="t"/> in quarters when time class k is k quarters after the tone before.</summary>
    private static double Onset(int t) => Times.Take(t + 1).Skip(1).Sum();

    [Fact]
    public void Relaxed_pitches_pass_the_gradient_of_every_statistic_to_the_pitches()
    {
        var window = Window();
        window[0, 3, 60] = tensor(0.5f);
        window[0, 3, 61] = tensor(0.5f);
        window.requires_grad_(true);

        var s = WindowSummary.Of(window, Sizes, zeroTime: 0)[0];
        s[^3].backward(); // the repetitions: the fourth tone's weight on 60 is the repeat's

        Assert.Equal(0.5f / 8, s[^3].item<float>(), 5);
        Assert.Equal(1 / 8f, window.grad![0, 3, 60].item<float>(), 5);
        Assert.Equal(0f, window.grad![0, 3, 61].item<float>());
    }

    [Fact]
    public void A_discriminator_that_reads_the_summary_carries_it_standardised_by_real_windows_beside_every_steps_features()
    {
        var settings = new ModelSettings(HiddenSize: 8, Family: ModelFamily.Tones, DiscriminatorSummary: true);
        var discriminator = new ToneDiscriminator(settings, Sizes, zeroTime: 0);
        var other = Window();
        other[0, 7, 60] = tensor(0f);
        other[0, 7, 59] = tensor(1f);
        var windows = cat([Window(), other]);
        var summary = discriminator.Summary(windows);
        Assert.True(discriminator.Features(windows)[.., 0, 16..].allclose(summary)); // as read until standardised

        discriminator.Standardise(summary);
        var features = discriminator.Features(windows);

        Assert.Equal([2L, Pitches.Length, 16 + WindowSummary.Width], features.shape);
        Assert.True(features[.., 1.., 16..].allclose(features[.., ..1, 16..].expand(-1, Pitches.Length - 1, -1)));
        var read = features[.., 0, 16..];
        var varies = summary.std([0]).gt(1e-6);
        Assert.True(read.mean([0]).abs().max().item<float>() < 1e-4);
        Assert.True(read.std([0]).masked_select(varies).allclose(ones(varies.sum().item<long>()), rtol: 1e-4, atol: 1e-4));
        Assert.True(read.masked_select(varies.logical_not().expand(2, -1)).eq(0).all().item<bool>()); // the same in both: 0
        Assert.Contains("summaryMean", discriminator.state_dict().Keys);
        Assert.Equal([2L], discriminator.call(windows).shape);
    }
}
