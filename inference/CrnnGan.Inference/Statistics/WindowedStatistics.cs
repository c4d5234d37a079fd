using CrnnGan.Inference.Randomness;

namespace CrnnGan.Inference.Statistics;

/// <summary>
/// The paper reports its statistics on 100-step samples, so real music is measured on windows of the same
/// number of steps: whole consecutive windows of a song, or one seeded window per song.
/// </summary>
public static class WindowedStatistics
{
    /// <summary>The bar the windows keep their place in: four quarter notes.</summary>
    public const double BarQuarters = 4;

    /// <summary>The statistics of each consecutive window of <paramref name="windowSteps"/> steps (a shorter song is one window).</summary>
    public static IReadOnlyList<ToneStatistics> Consecutive(StepSequence steps, int windowSteps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowSteps, 1);
        var windows = Math.Max(1, steps.Steps / windowSteps);
        return [.. Enumerable.Range(0, windows).Select(w => Of(steps.Window(w * windowSteps, windowSteps)))];
    }

    /// <summary>
    /// The statistics of one window of <paramref name="windowSteps"/> steps whose start is drawn from the seed
    /// and the song's name, so that a song gets the same window whatever other songs are measured with it.
    /// </summary>
    public static ToneStatistics SeededWindow(Song song, StepLayout layout, int windowSteps, ulong seed) =>
        ToneStatistics.Of(SeededWindowTones(song, layout, windowSteps, seed));

    /// <summary>
    /// The tones of the seeded window that <see cref="SeededWindow"/> measures, moved back by whole 4-quarter bars to start
    /// within the first: where each onset falls in the beat and the bar is the song's.
    /// </summary>
    public static IReadOnlyList<Tone> SeededWindowTones(Song song, StepLayout layout, int windowSteps, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowSteps, 1);
        var steps = StepEncoder.Encode(song.Tones, layout);
        var starts = Math.Max(1, steps.Steps - windowSteps + 1);
        var start = (int)(StableHash.Of(seed, song.Name) % (ulong)starts);
        var onset = 0.0;
        for (var step = 0; step <= start && step < steps.Steps; step++)
            onset += steps.Values[step * layout.FeaturesPerStep + StepLayout.TimeDeltaIndex];
        var window = steps.Window(start, windowSteps);
        if (window.Steps > 0)
            window.Values[StepLayout.TimeDeltaIndex] = (float)(onset % BarQuarters);
        return StepEncoder.Decode(window);
    }

    /// <summary>The paper's statistics of one window of steps.</summary>
    public static ToneStatistics Of(StepSequence window) => ToneStatistics.Of(StepEncoder.Decode(window));
}
