using CrnnGan.Inference.Randomness;

namespace CrnnGan.Inference.Tests.Randomness;

public sealed class SongNoiseTests
{
    [Fact]
    public void Noise_drawn_afresh_is_the_songs_stream_step_by_step()
    {
        var (random, stream) = (new SeededRandom(5), new SeededRandom(5));
        var noise = new SongNoise(random, scale: 1f, heldForTheSong: false);

        var steps = Steps(noise, 3);

        Assert.Equal(Enumerable.Range(0, 12).Select(_ => stream.NextSingle()), steps.SelectMany(s => s));
        Assert.NotEqual(steps[0], steps[1]);
    }

    [Fact]
    public void A_songs_noise_is_its_first_steps_at_every_step_and_draws_nothing_more_from_its_stream()
    {
        var (random, fresh) = (new SeededRandom(5), new SongNoise(new SeededRandom(5), scale: 0.5f, heldForTheSong: false));
        var noise = new SongNoise(random, scale: 0.5f, heldForTheSong: true);

        var steps = Steps(noise, 3);

        Assert.Equal(Steps(fresh, 1)[0], steps[0]);
        Assert.All(steps, step => Assert.Equal(steps[0], step));
        Assert.All(steps[0], value => Assert.InRange(value, 0.25f, 0.75f));
        var after = new SeededRandom(5);
        new SongNoise(after, 1f, heldForTheSong: false).Fill(new float[4]);
        Assert.Equal(after.NextUInt64(), random.NextUInt64());
    }

    private static float[][] Steps(SongNoise noise, int count) =>
        [
            .. Enumerable
                .Range(0, count)
                .Select(_ =>
                {
                    var step = new float[4];
                    noise.Fill(step);
                    return step;
                }),
        ];
}
