using CrnnGan.Inference.Statistics;

namespace CrnnGan.Inference.Generation;

/// <summary>
/// One generated song: the seed that makes it, its tones and tempo, the paper's statistics of it, and the key it
/// was placed in (models of the tone family; null for the paper's model, which has no notion of key).
/// </summary>
public sealed record GeneratedSong(int Index, ulong Seed, Song Song, ToneStatistics Statistics, MusicalKey? Key = null)
{
    /// <summary>The song as a Standard MIDI File, every tone on General MIDI program <paramref name="program"/>.</summary>
    public byte[] ToMidi(int program) => MidiWriter.ToBytes(Song, new MidiWriteOptions(Program: program));
}
