using CrnnGan.Inference.Features;
using CrnnGan.Inference.Music;

namespace CrnnGan.Inference.Tests.Features;

public sealed class ToneVocabularyTests
{
    private static readonly Tone[] Song =
    [
        new(0, 1, 60, 80),
        new(0, 1, 64, 80),
        new(0, 1, 67, 80), // a chord
        new(1, 0.5, 62, 90),
        new(1.5, 0.5, 64, 90),
        new(2, 2, 65, 100),
        new(4, 0.25, 67, 100),
        new(4.25, 0.25, 69, 100),
    ];

    [Fact]
    public void Bins_are_the_most_frequent_values_and_time_always_holds_0_for_chords()
    {
        var vocabulary = ToneVocabulary.FromSongs([Song], timeBins: 3, lengthBins: 2, velocityBins: 2);

        Assert.Equal([0, 0.25, 0.5], vocabulary.TimeBins);
        Assert.Equal([0.25, 1], vocabulary.LengthBins); // 1 (3 tones), then 0.25 before 0.5 (2 each): ties go to the smaller value
        Assert.Equal([80, 100], vocabulary.VelocityBins);
        Assert.Equal([128, 3, 2, 2], vocabulary.Sizes);
    }

    [Fact]
    public void Tones_on_the_bins_come_back_exactly_and_others_at_the_nearest_bin()
    {
        var vocabulary = new ToneVocabulary([0, 0.25, 0.5, 1, 2], [0.25, 0.5, 1, 2], [80, 90, 100]);

        var decoded = vocabulary.Decode(vocabulary.Encode(Song));
        var nudged = vocabulary.Decode(vocabulary.Encode([new Tone(0.3, 0.9, 61, 84)]));

        Assert.Equal(Song, decoded);
        Assert.Equal(new Tone(0.25, 1, 61, 80), Assert.Single(nudged));
        Assert.Equal(1.0, vocabulary.Coverage([Song]).Time);
    }

    [Fact]
    public void A_chord_spread_within_the_zero_bin_is_written_at_its_onset_ascending_with_each_key_once()
    {
        var vocabulary = new ToneVocabulary([0, 0.25, 0.5, 1], [0.25, 1], [80]);
        Tone[] rolled =
        [
            new(0, 1, 67, 80),
            new(0.03, 1, 60, 80), // a rolled chord, top first
            new(0.06, 1, 64, 80),
            new(0.09, 1, 60, 80), // its bass struck again within the roll
            new(0.5, 0.25, 62, 80),
            new(0.52, 0.25, 59, 80), // a later chord, its lower key a hair late
        ];

        var indices = vocabulary.Encode(rolled);

        int[] Column(int head) => [.. indices.Where((_, i) => i % 4 == head)];
        Assert.Equal([60, 64, 67, 59, 62], Column(ToneVocabulary.PitchHead));
        Assert.Equal([0, 0, 0, 2, 0], Column(ToneVocabulary.TimeHead)); // the second chord half a quarter after the first
        Assert.Equal(
            [new Tone(0, 1, 60, 80), new(0, 1, 64, 80), new(0, 1, 67, 80), new(0.5, 0.25, 59, 80), new(0.5, 0.25, 62, 80)],
            vocabulary.Decode(indices)
        );
    }

    [Fact]
    public void Decoding_moves_pitches_into_a_key_and_folds_them_into_midi_by_octaves()
    {
        var vocabulary = new ToneVocabulary([0, 1], [1], [64]);
        int[] tones = [60, 1, 0, 0, 127, 1, 0, 0];

        var moved = vocabulary.Decode(tones, transpose: 3);

        Assert.Equal([63, 118], moved.Select(t => t.Pitch));
    }

    [Fact]
    public void The_bins_survive_the_trip_through_model_metadata()
    {
        var vocabulary = ToneVocabulary.FromSongs([Song], 4, 3, 2);
        var text = vocabulary.ToText();

        Assert.Equal(vocabulary, ToneVocabulary.Parse(text[0], text[1], text[2]));
        Assert.Throws<InvalidDataException>(() => ToneVocabulary.Parse("0,x", "1", "64"));
        Assert.Throws<InvalidDataException>(() => ToneVocabulary.Parse("0,1", "1", "200"));
    }
}
