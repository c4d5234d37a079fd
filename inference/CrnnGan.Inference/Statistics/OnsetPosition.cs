using CrnnGan.Inference.Music;

namespace CrnnGan.Inference.Statistics;

/// <summary>
/// Where an onset falls in the meter, counted from the song's start in quarter notes: on the sixteenth grid of the
/// quarter note (0, ¼, ½, ¾) or off it, and on the sixteenth grid of a 4-quarter bar (16 places) or off it. An onset
/// within 1/96 quarter note of a grid line is on it (the tone family's times lie on a 1/48 grid; files' ticks round).
/// </summary>
public static class OnsetPosition
{
    /// <summary>Classes of <see cref="InQuarter"/>: the four sixteenths, then "off the grid".</summary>
    public const int QuarterClasses = 5;

    /// <summary>Classes of <see cref="InBar"/>: the bar's sixteen sixteenths, then "off the grid".</summary>
    public const int BarClasses = 17;

    private const double Tolerance = 1.0 / 96;

    /// <summary>Where an onset (in quarter notes) falls in its quarter: 0–3 on the sixteenth grid, 4 off it.</summary>
    public static int InQuarter(double onset) => Sixteenth(onset) is { } s ? s % 4 : QuarterClasses - 1;

    /// <summary>Where an onset (in quarter notes) falls in a 4-quarter bar: 0–15 on the sixteenth grid, 16 off it.</summary>
    public static int InBar(double onset) => Sixteenth(onset) is { } s ? s % 16 : BarClasses - 1;

    /// <summary>Whether the onset lies on the sixteenth grid.</summary>
    public static bool OnGrid(double onset) => Sixteenth(onset) is not null;

    /// <summary>A song's <see cref="SongTiming"/>: metered when at least half its distinct onsets lie on the sixteenth grid.</summary>
    public static SongTiming Timing(IEnumerable<Tone> tones)
    {
        var onsets = tones.Select(t => t.Onset).Distinct().ToList();
        return onsets.Count(OnGrid) * 2 >= onsets.Count ? SongTiming.Metered : SongTiming.Free;
    }

    /// <summary>
    /// Of a piece's distinct onsets off the sixteenth grid that another onset follows, how many there are and how many of
    /// those the next onset brings back onto it: a metered song strays and comes back, a song that has lost the beat does not.
    /// </summary>
    public static (int Off, int Back) Returns(IEnumerable<Tone> tones)
    {
        var onGrid = tones.Select(t => t.Onset).Distinct().Order().Select(OnGrid).ToList();
        var (off, back) = (0, 0);
        for (var i = 0; i + 1 < onGrid.Count; i++)
        {
            if (onGrid[i])
                continue;
            off++;
            if (onGrid[i + 1])
                back++;
        }
        return (off, back);
    }

    private static int? Sixteenth(double onset)
    {
        var sixteenths = onset * 4;
        var nearest = Math.Round(sixteenths, MidpointRounding.AwayFromZero);
        return Math.Abs(sixteenths - nearest) * 0.25 <= Tolerance ? (int)(((long)nearest % 64 + 64) % 64) : null;
    }
}
