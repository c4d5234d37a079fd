using CrnnGan.Inference.Music;
using CrnnGan.Inference.Statistics;

namespace CrnnGan.Inference.Generation;

/// <summary>One generated song: the seed that makes it, its tones and tempo, and the paper's statistics of it.</summary>
public sealed record GeneratedSong(int Index, ulong Seed, Song Song, ToneStatistics Statistics)
{
    public byte[] ToMidi(int program) => MidiWriter.ToBytes(Song, new MidiWriteOptions(Program: program));
}
