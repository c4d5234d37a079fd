using CrnnGan.Inference.Music;
using CrnnGan.Inference.Statistics;

namespace CrnnGan.Inference.Tests.Statistics;

/// <summary>Where onsets fall in the beat and the bar, the melodic intervals, and tones outside the key.</summary>
public sealed class MeterAndMelodyTests
{
    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(0.25, 1, 1)]
    [InlineData(2.5, 2, 10)]
    [InlineData(4.75, 3, 3)] // the second bar's fourth sixteenth
    [InlineData(1.0 / 3, 4, 16)] // a triplet: off the grid
    [InlineData(0.5 + 1.0 / 100, 2, 2)] // within 1/96 quarter of the grid
    [InlineData(0.5 + 1.0 / 48, 4, 16)]
    public void An_onset_falls_on_a_sixteenth_of_the_quarter_and_the_bar_or_off_the_grid(double onset, int inQuarter, int inBar)
    {
        Assert.Equal((inQuarter, inBar), (OnsetPosition.InQuarter(onset), OnsetPosition.InBar(onset)));
        Assert.Equal(inQuarter < 4, OnsetPosition.OnGrid(onset));
    }

    [Fact]
    public void Of_the_onsets_off_the_grid_those_the_next_onset_brings_back_are_counted_a_chord_once()
    {
        double[] onsets = [0, 1.0 / 3, 2.0 / 3, 1, 1.1, 1.1, 1.2, 1.25, 1.3]; // off: 1/3, 2/3, 1.1 (a chord), 1.2, 1.3 (last)
        var piece = onsets.Select((o, i) => new Tone(o, 0.1, 60 + i, 80));

        Assert.Equal((4, 2), OnsetPosition.Returns(piece)); // 2/3 → 1 and 1.2 → 1.25 come back
        Assert.Equal((0, 0), OnsetPosition.Returns([new Tone(0, 1, 60, 80), new Tone(0.5, 1, 62, 80)]));
    }

    [Fact]
    public void A_chord_is_one_onset_and_its_tones_move_by_pitch_a_doubled_pitch_counted_once()
    {
        Tone[] piece =
        [
            new(0, 1, 60, 80),
            new(0, 1, 64, 80),
            new(0, 1, 67, 80),
            new(0, 1, 67, 90), // doubled
            new(1.5, 1, 72, 80),
            new(1.0 + 1.0 / 3, 1, 48, 80), // a triplet: off the grid, and an interval down past two octaves
        ];

        var histograms = ToneHistograms.Of([piece]);

        Assert.Equal([1 / 3.0, 0, 1 / 3.0, 0, 1 / 3.0], histograms.OnsetInQuarter);
        double[] intervals = new double[49];
        foreach (var semitones in new[] { 4, 3, -19, 24 })
            intervals[semitones + 24] += 0.25;
        Assert.Equal(intervals, histograms.MelodicInterval);
    }

    [Fact]
    public void Tones_outside_the_key_are_those_outside_the_best_fitting_major_or_minor_scale()
    {
        int[] cMajor = [60, 62, 64, 65, 67, 69, 71, 72];
        int[] aHarmonicMinor = [57, 59, 60, 62, 64, 65, 68, 69];

        Assert.Equal(0, Scale.OutsideKey(cMajor));
        Assert.Equal(1 / 9.0, Scale.OutsideKey([.. cMajor, 66]), 12);
        Assert.Equal(1 / 8.0, Scale.OutsideKey(aHarmonicMinor), 12); // G#: the raised seventh is an accidental
        Assert.Equal(1.0, Scale.Consistency(aHarmonicMinor)); // yet inside one of the paper's 36 scales
    }

    [Fact]
    public void A_window_is_described_by_one_vector_whose_distributions_are_shares()
    {
        Tone[] piece = [.. Enumerable.Range(0, 40).Select(i => new Tone(i * 0.5, 0.5, 60 + i % 7, 80))];

        var descriptor = WindowDescriptor.Of(piece);

        Assert.Equal(WindowDescriptor.Names.Count, descriptor.Length);
        double Part(string prefix) => WindowDescriptor.Names.Select((n, i) => (n, i)).Where(p => p.n.StartsWith(prefix)).Sum(p => descriptor[p.i]);
        foreach (var part in new[] { "pitch_class_", "time_class_", "length_class_", "onset_in_quarter_", "onset_in_bar_", "interval_class_" })
            Assert.Equal(1, Part(part), 9);
        Assert.Equal(
            1,
            descriptor[WindowDescriptor.Names.ToList().IndexOf("onset_in_quarter_0")]
                + descriptor[WindowDescriptor.Names.ToList().IndexOf("onset_in_quarter_2")],
            9
        );
    }
}
