using CrnnGan.Cli.Evaluation;
using CrnnGan.Inference.Music;

namespace CrnnGan.Inference.Tests.Cli;

public sealed class PitchRegisterTests
{
    private static MusicSource Source(string name, params int[][] pieces) =>
        new(name, [.. pieces.Select(p => (IReadOnlyList<Tone>)[.. p.Select((pitch, i) => new Tone(i, 1, pitch, 80))])]);

    [Fact]
    public void The_same_pitches_are_at_distance_0_and_pitches_in_common_count_by_their_shares()
    {
        var real = Source("real music", [60, 62, 64, 65], [67, 69]);

        Assert.Equal(0, PitchRegister.Of(Source("GAN", [69, 67, 65, 64, 62, 60]), real).DistanceToReal, 12);
        // Half of these tones sit where real music has half of its tones, in the same shares.
        Assert.Equal(0.5, PitchRegister.Of(Source("GAN", [60, 62, 64, 100, 102, 104]), real).DistanceToReal, 12);
    }

    [Fact]
    public void Melodies_at_the_top_of_the_keyboard_are_far_from_real_music_however_they_move()
    {
        var real = Source("real music", [48, 52, 55, 60, 64, 67, 72]);

        var register = PitchRegister.Of(Source("GAN", [96, 98, 100, 101, 103]), real);

        Assert.Equal(1, register.DistanceToReal, 12);
        Assert.Equal(99.6, register.MeanPitch!.Value, 9);
    }

    [Fact]
    public void A_source_without_tones_has_no_mean_pitch_and_nothing_in_common_with_real_music()
    {
        var register = PitchRegister.Of(Source("GAN", []), Source("real music", [60]));

        Assert.Null(register.MeanPitch);
        Assert.Equal(1, register.DistanceToReal, 12);
    }
}
