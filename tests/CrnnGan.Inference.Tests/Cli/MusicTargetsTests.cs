using CrnnGan.Cli.Evaluation;
using CrnnGan.Inference.Music;

namespace CrnnGan.Inference.Tests.Cli;

public sealed class MusicTargetsTests
{
    private static readonly Realism Chance = new("any", 0.5, 0, [], []);

    /// <summary>A piece that plays a 3-tone motif <paramref name="times"/> times, then climbs without repeating.</summary>
    private static IReadOnlyList<Tone> Piece(int times) =>
        [
            .. Enumerable
                .Repeat(new[] { 60, 64, 67 }, times)
                .SelectMany(m => m)
                .Concat(Enumerable.Range(70, 20))
                .Select((pitch, i) => new Tone(i, 1, pitch, 80)),
        ];

    private static MusicTargets.Check Repetitions(MusicSource model, MusicSource real) =>
        MusicTargets.Of(model, real, Chance, Chance).Single(c => c.Target.StartsWith("repetitions_3", StringComparison.Ordinal));

    [Fact]
    public void Repetitions_are_judged_by_the_median_piece_so_that_one_looping_song_cannot_meet_the_target()
    {
        var real = new MusicSource("real music", [.. Enumerable.Repeat(Piece(3), 9)]);
        var alike = new MusicSource("alike", [.. Enumerable.Repeat(Piece(3), 8), Piece(2)]);
        var looping = new MusicSource("looping", [.. Enumerable.Repeat(Piece(1), 8), Piece(30)]);

        Assert.True(looping["repetitions_3"].Mean > real["repetitions_3"].Mean); // the mean alone would pass it
        Assert.False(Repetitions(looping, real).Holds);
        Assert.True(Repetitions(alike, real).Holds);
        Assert.Equal(real["repetitions_3"].Median.ToString(System.Globalization.CultureInfo.InvariantCulture), Repetitions(alike, real).Value);
    }
}
