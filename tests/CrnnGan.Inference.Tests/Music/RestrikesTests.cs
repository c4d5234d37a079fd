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
}
