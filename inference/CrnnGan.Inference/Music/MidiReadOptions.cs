namespace CrnnGan.Inference.Music;

/// <summary>How MIDI events become tones.</summary>
/// <param name="IncludePercussion">Keep notes on the General MIDI percussion channel (10); they are drum hits, not pitches.</param>
/// <param name="UnclosedNoteQuarters">Length given to a note that is never switched off (the reference uses one quarter note).</param>
public sealed record MidiReadOptions(bool IncludePercussion = false, double UnclosedNoteQuarters = 1.0)
{
    /// <summary>Percussion left out; a note never switched off lasts one quarter note.</summary>
    public static MidiReadOptions Default { get; } = new();

    /// <summary>General MIDI's percussion channel (1-based), left out unless asked for.</summary>
    public const int PercussionChannel = 10;
}
