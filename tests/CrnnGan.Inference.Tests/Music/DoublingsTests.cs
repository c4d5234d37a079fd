using CrnnGan.Inference.Features;
using CrnnGan.Inference.Music;

namespace CrnnGan.Inference.Tests.Music;

public sealed class DoublingsTests
{
    [Fact]
    public void Keys_struck_together_on_several_channels_merge_into_the_longest_and_loudest_and_others_stay()
    {
        Tone[] tones =
        [
            new(1, 0.5, 60, 70, Channel: 2),
            new(0, 1, 64, 80),
            new(1, 1, 60, 50, Channel: 3),
            new(1, 0.25, 64, 90),
            new(0, 2, 64, 40, Channel: 2),
        ];

        var merged = Doublings.Merge(tones);

        Assert.Equal([(0.0, 64, 2.0, 80), (1.0, 60, 1.0, 70), (1.0, 64, 0.25, 90)], merged.Select(t => (t.Onset, t.Pitch, t.Duration, t.Velocity)));
    }

    [Fact]
    public void The_tone_encoding_trains_on_each_key_once_per_onset()
    {
        var vocabulary = new ToneVocabulary([0, 1], [1], [80]);

        var indices = vocabulary.Encode([new(0, 1, 60, 80), new(0, 1, 60, 80, Channel: 2), new(1, 1, 62, 80)]);

        Assert.Equal(2 * ToneVocabulary.Heads.Count, indices.Length);
    }
}
