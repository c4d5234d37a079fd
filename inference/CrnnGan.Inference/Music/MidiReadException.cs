namespace CrnnGan.Inference.Music;

/// <summary>A MIDI file that cannot be turned into tones; <see cref="Exception.Message"/> says why in one line.</summary>
public sealed class MidiReadException(string reason, Exception? inner = null) : Exception(reason, inner);
