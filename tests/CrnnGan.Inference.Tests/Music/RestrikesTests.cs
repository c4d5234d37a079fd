using CrnnGan.Inference.Music;

namespace CrnnGan.Inference.Tests.Music;

public sealed class RestrikesTests
{
    [Fact]
    public void A_key_struck_again_while_it_sounds_is_released_at_the_strike_and_other_keys_and_channels_keep_their_lengths()
    {
        Tone[] tones =
        [
            new(0.5, 1, 60, 70),
            new(0, 2, 60, 80),
            new(0.25, 2, 60, 90, Channel: 2),
            new(0, 3, 64, 80),
            new(0.5, 0.25, 60, 50),
            new(2, 1, 60, 60),
        ];

        var released = Restrikes.Release(tones);

        Assert.Equal(
            [(0.0, 60, 1, 0.5), (0.0, 64, 1, 3.0), (0.25, 60, 2, 2.0), (0.5, 60, 1, 1.0), (2.0, 60, 1, 1.0)],
            released.Select(t => (t.Onset, t.Pitch, t.Channel, t.Duration))
        );
        Assert.Equal(70, released[3].Velocity);
    }

    [Fact]
    public void A_key_struck_again_under_a_32nd_note_after_its_strike_is_one_strike_as_long_and_loud_as_both()
    {
        Tone[] tones =
        [
            new(0, 1, 60, 70),
            new(1.0 / 48, 2, 60, 90), // a step later: a doubling a step apart
            new(0, 0.5, 64, 80),
            new(1.0 / 24, 1, 64, 60), // two steps later: a second strike
            new(3, 0.5, 67, 80),
            new(3 + 1.0 / 48, 0.25, 67, 40),
        ];

        var released = Restrikes.Release(tones);

        Assert.Equal(
            [(0.0, 60, 1.0 / 48 + 2, 90), (0.0, 64, 1.0 / 24, 80), (1.0 / 24, 64, 1.0, 60), (3.0, 67, 0.5, 80)],
            released.Select(t => (t.Onset, t.Pitch, t.Duration, t.Velocity))
        );
    }
}
