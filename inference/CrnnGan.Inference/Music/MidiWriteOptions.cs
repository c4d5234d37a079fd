namespace CrnnGan.Inference.Music;

/// <summary>How a song is written as a Standard MIDI File.</summary>
/// <param name="TicksPerQuarter">Time resolution of the file (the reference uses 384).</param>
/// <param name="Bpm">A constant tempo that replaces the song's own tempo map; null keeps the song's.</param>
/// <param name="Program">A General MIDI program (0..127) for every tone; null keeps each tone's own.</param>
public sealed record MidiWriteOptions(int TicksPerQuarter = Features.StepEncoder.TicksPerQuarter, double? Bpm = null, int? Program = null)
{
    /// <summary>480 ticks per quarter note, and the song's own tempo map and programs.</summary>
    public static MidiWriteOptions Default { get; } = new();
}
