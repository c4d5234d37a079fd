using CrnnGan.Inference.Music;
using CrnnGan.Inference.Statistics;

namespace CrnnGan.Inference.Tests.Statistics;

public sealed class ToneHistogramsTests
{
    private static IReadOnlyList<Tone> Scale(int root, double step) =>
        [.. new[] { 0, 2, 4, 5, 7, 9, 11, 12 }.Select((d, i) => new Tone(i * step, step, 60 + root + d, 80))];

    [Fact]
    public void Music_in_another_key_has_the_same_key_relative_pitch_classes()
    {
        var inC = ToneHistograms.Of([Scale(0, 0.5)]);
        var inEb = ToneHistograms.Of([Scale(3, 0.5)]);

        Assert.Equal(0, ToneHistograms.Distance(inC.PitchClassInKey, inEb.PitchClassInKey), 12);
        Assert.Equal(2 / 8.0, inC.PitchClassInKey[0]); // C twice
        Assert.Equal(0, inC.PitchClassInKey[1]);
    }

    [Fact]
    public void Another_rhythm_is_as_far_as_its_share_of_other_intervals()
    {
        var eighths = ToneHistograms.Of([Scale(0, 0.5)]);
        var quarters = ToneHistograms.Of([Scale(0, 1)]);

        Assert.Equal(1, eighths.TimeBetweenOnsets[8]); // 0.5 quarter notes = 8 sixteenths of a quarter
        Assert.Equal(1, eighths.Distances(quarters)["time_between_onsets"], 12);
        Assert.Equal(1, eighths.Distances(quarters)["tone_length"], 12);
        Assert.Equal(0, eighths.Distances(eighths).Values.Sum());
    }

    [Fact]
    public void Lengths_of_four_quarter_notes_or_more_share_the_last_bin()
    {
        var histograms = ToneHistograms.Of([
            [new Tone(0, 4, 60, 80), new Tone(0, 9, 64, 80)],
        ]);

        Assert.Equal(1, histograms.Length[^1]);
        Assert.Equal(1, histograms.TimeBetweenOnsets[0]); // the chord: 0 between its onsets
    }
}
