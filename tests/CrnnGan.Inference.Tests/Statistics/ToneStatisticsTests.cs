using CrnnGan.Inference.Features;
using CrnnGan.Inference.Music;
using CrnnGan.Inference.Statistics;

namespace CrnnGan.Inference.Tests.Statistics;

public sealed class ToneStatisticsTests
{
    /// <summary>A melody: one tone per onset, a quarter note apart.</summary>
    private static Tone[] Melody(params int[] pitches) => [.. pitches.Select((p, i) => new Tone(i, 1, p, 80))];

    [Fact]
    public void Polyphony_is_the_share_of_onsets_where_two_or_more_tones_start()
    {
        Tone[] tones =
        [
            new(0, 1, 60, 80),
            new(0, 1, 64, 80),
            new(1, 1, 62, 80),
            new(2, 1, 60, 80),
            new(2, 1, 64, 80),
            new(2, 1, 67, 80),
            new(3, 1, 65, 80),
        ];

        Assert.Equal(0.5, ToneStatistics.Of(tones).Polyphony);
    }

    [Fact]
    public void Two_note_chords_throughout_are_fully_polyphonic()
    {
        // The reference counts every note-on as well as each onset group and scores this 0.67.
        var tones = Enumerable.Range(0, 8).SelectMany(i => new[] { new Tone(i, 1, 60 + i, 80), new Tone(i, 1, 64 + i, 80) }).ToList();

        Assert.Equal(1.0, ToneStatistics.Of(tones).Polyphony);
    }

    [Fact]
    public void A_major_scale_is_fully_scale_consistent_in_every_key()
    {
        int[] cMajor = [60, 62, 64, 65, 67, 69, 71, 72];
        for (var shift = 0; shift < 12; shift++)
            Assert.Equal(1.0, ToneStatistics.Of(Melody([.. cMajor.Select(p => p + shift)])).ScaleConsistency);
    }

    [Fact]
    public void Scale_consistency_uses_pitch_minus_root_modulo_twelve()
    {
        // D harmonic minor: D E F G A Bb C#. The reference's (pitch mod 12) − root misses C# (1 − 2 < 0).
        Assert.Equal(1.0, ToneStatistics.Of(Melody(62, 64, 65, 67, 69, 70, 73)).ScaleConsistency);
    }

    [Fact]
    public void Scale_consistency_is_the_best_share_over_all_scales()
    {
        // C major plus F#: G major holds 7 of the 8 tones.
        Assert.Equal(7 / 8.0, ToneStatistics.Of(Melody(60, 62, 64, 65, 66, 67, 69, 71)).ScaleConsistency);
        // All twelve pitch classes: any seven-tone scale holds seven.
        Assert.Equal(7 / 12.0, ToneStatistics.Of(Melody([.. Enumerable.Range(60, 12)])).ScaleConsistency);
    }

    [Fact]
    public void Repetitions_count_pairs_of_equal_non_overlapping_pitch_windows()
    {
        var statistics = ToneStatistics.Of(Melody(60, 62, 64, 60, 62, 64));

        Assert.Equal(2, statistics.RepetitionsOfLength(2)); // (60 62) twice, (62 64) twice
        Assert.Equal(1, statistics.Repetitions3); // (60 62 64) twice
        Assert.Equal(0, statistics.RepetitionsOfLength(4));
    }

    [Fact]
    public void Overlapping_windows_do_not_count_as_repetitions()
    {
        var statistics = ToneStatistics.Of(Melody(60, 60, 60, 60, 60));

        Assert.Equal(3, statistics.RepetitionsOfLength(2)); // windows at 0..3: pairs (0,2) (0,3) (1,3)
        Assert.Equal(0, statistics.Repetitions3); // windows at 0, 1, 2 all overlap
    }

    [Fact]
    public void Repetitions_ignore_timing()
    {
        var slow = Melody(60, 62, 64, 60, 62, 64);
        var uneven = slow.Select((t, i) => t with { Onset = i * i * 0.25, Duration = 0.1 * (i + 1) }).ToArray();

        Assert.Equal(ToneStatistics.Of(slow).Repetitions, ToneStatistics.Of(uneven).Repetitions);
    }

    [Fact]
    public void Spans_and_unique_tones()
    {
        Tone[] tones = [new(0, 1, 48, 30), new(1, 1, 72, 110), new(2, 1, 60, 64), new(3, 1, 60, 90)];

        var statistics = ToneStatistics.Of(tones);

        Assert.Equal(24, statistics.ToneSpan);
        Assert.Equal(3, statistics.UniqueTones);
        Assert.Equal(80, statistics.IntensitySpan);
    }

    [Fact]
    public void Music_without_tones_scores_zero()
    {
        var statistics = ToneStatistics.Of([]);

        Assert.All(statistics.Named(), s => Assert.Equal(0, s.Value));
        Assert.Equal(13, statistics.Named().Count);
    }

    [Fact]
    public void A_summary_gives_mean_and_standard_deviation_of_each_statistic()
    {
        var summary = StatisticSummary.Of([ToneStatistics.Of(Melody(60, 62)), ToneStatistics.Of(Melody(60, 64))]);

        var span = summary.Single(s => s.Name == "tone_span");
        Assert.Equal(3, span.Mean);
        Assert.Equal(1, span.StandardDeviation);
        Assert.Equal(2, span.Count);
        Assert.Equal(3, span.Median);
    }

    [Fact]
    public void A_summarys_median_is_the_typical_pieces_which_one_piece_far_from_the_rest_cannot_carry()
    {
        var spans = new[] { 2, 4, 5, 60 }.Select(top => ToneStatistics.Of(Melody(60, 60 + top))).ToList();

        var odd = StatisticSummary.Of(spans.Take(3).ToList()).Single(s => s.Name == "tone_span");
        var even = StatisticSummary.Of(spans).Single(s => s.Name == "tone_span");

        Assert.Equal(4, odd.Median); // spans 2, 4, 5
        Assert.Equal(4.5, even.Median); // spans 2, 4, 5, 60
        Assert.Equal(17.75, even.Mean);
        Assert.Equal(60, even.Percentile90); // the nearest rank: the 4th of 4
        Assert.Equal(5, odd.Percentile90); // the 3rd of 3
    }

    [Fact]
    public void A_summarys_90th_percentile_is_the_upper_tenths_edge_by_the_nearest_rank()
    {
        var spans = Enumerable.Range(1, 20).Select(top => ToneStatistics.Of(Melody(60, 60 + top))).ToList();

        var summary = StatisticSummary.Of(spans).Single(s => s.Name == "tone_span");

        Assert.Equal(18, summary.Percentile90); // spans 1 to 20: the 18th
    }

    [Fact]
    public void Consecutive_windows_measure_each_stretch_of_steps()
    {
        var tones = Melody(60, 62, 64, 65, 67, 69, 71, 72, 84, 86);

        var windows = WindowedStatistics.Consecutive(StepEncoder.Encode(tones, StepLayout.Monophonic), 5);

        Assert.Equal([7, 17], windows.Select(w => w.ToneSpan));
    }

    [Fact]
    public void A_seeded_window_depends_on_the_seed_and_song_alone()
    {
        var song = new Song("a/b.mid", Melody([.. Enumerable.Range(0, 400).Select(i => 40 + i * 7 % 50)]), TempoMap.Default);

        var first = WindowedStatistics.SeededWindow(song, StepLayout.Monophonic, 10, seed: 1);
        var again = WindowedStatistics.SeededWindow(song, StepLayout.Monophonic, 10, seed: 1);
        var others = Enumerable.Range(2, 20).Select(s => WindowedStatistics.SeededWindow(song, StepLayout.Monophonic, 10, (ulong)s)).ToList();

        Assert.Equal(first.Named(), again.Named());
        Assert.Contains(others, o => !o.Named().SequenceEqual(first.Named()));
    }
}
