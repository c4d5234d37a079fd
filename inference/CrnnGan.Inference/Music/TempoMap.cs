namespace CrnnGan.Inference.Music;

/// <summary>A tempo in force from <see cref="Quarter"/> on, as MIDI states it: microseconds per quarter note.</summary>
public readonly record struct TempoChange(double Quarter, int MicrosecondsPerQuarter)
{
    /// <summary>The tempo in beats (quarter notes) per minute.</summary>
    public double Bpm => 60_000_000.0 / MicrosecondsPerQuarter;
}

/// <summary>
/// The tempo changes of a song, kept so that musical time (quarter notes, what the model sees) can be
/// reported in seconds. A MIDI file without tempo events plays at 120 BPM.
/// </summary>
public sealed class TempoMap
{
    /// <summary>MIDI's default tempo: 120 beats per minute.</summary>
    public const int DefaultMicrosecondsPerQuarter = 500_000;

    private readonly TempoChange[] _changes;
    private readonly double[] _quarterAtChange;

    // Seconds elapsed at each change, so that a conversion is one binary search.
    private readonly double[] _secondsAtChange;

    /// <summary>A map of <paramref name="changes"/> (in any order; before the first, the default tempo).</summary>
    public TempoMap(IEnumerable<TempoChange> changes)
    {
        var ordered = changes.OrderBy(c => c.Quarter).ToList();
        if (ordered.Count == 0 || ordered[0].Quarter > 0)
            ordered.Insert(0, new TempoChange(0, ordered.Count == 0 ? DefaultMicrosecondsPerQuarter : ordered[0].MicrosecondsPerQuarter));
        foreach (var change in ordered)
        {
            if (change.MicrosecondsPerQuarter <= 0)
                throw new ArgumentException($"A tempo must be positive, not {change.MicrosecondsPerQuarter} µs per quarter note.", nameof(changes));
        }
        _changes = [.. ordered];
        _quarterAtChange = [.. ordered.Select(c => c.Quarter)];
        _secondsAtChange = new double[_changes.Length];
        for (var i = 1; i < _changes.Length; i++)
            _secondsAtChange[i] = _secondsAtChange[i - 1] + SecondsPerQuarter(i - 1) * (_changes[i].Quarter - _changes[i - 1].Quarter);
    }

    /// <summary>One tempo, <paramref name="bpm"/> beats per minute, throughout.</summary>
    public static TempoMap Constant(double bpm)
    {
        if (!(bpm is > 0 and <= 1000))
            throw new ArgumentOutOfRangeException(nameof(bpm), bpm, "A tempo must be between 0 and 1000 BPM.");
        return new TempoMap([new TempoChange(0, (int)Math.Round(60_000_000.0 / bpm))]);
    }

    /// <summary>MIDI's default tempo throughout.</summary>
    public static TempoMap Default { get; } = new([]);

    /// <summary>The tempo changes, in order of time.</summary>
    public IReadOnlyList<TempoChange> Changes => _changes;

    /// <summary>The time in seconds of a point <paramref name="quarter"/> quarter notes from the start.</summary>
    public double ToSeconds(double quarter)
    {
        var found = Array.BinarySearch(_quarterAtChange, quarter);
        var i = Math.Max(0, found >= 0 ? found : ~found - 1);
        return _secondsAtChange[i] + SecondsPerQuarter(i) * (quarter - _changes[i].Quarter);
    }

    private double SecondsPerQuarter(int change) => _changes[change].MicrosecondsPerQuarter / 1e6;
}
