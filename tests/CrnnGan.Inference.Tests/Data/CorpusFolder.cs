using CrnnGan.TestSupport;
using static CrnnGan.TestSupport.MidiBytes;

namespace CrnnGan.Inference.Tests.Data;

/// <summary>A synthesized corpus: good files in nested folders beside every kind of bad one.</summary>
public sealed class CorpusFolder : IDisposable
{
    public CorpusFolder(int goodFiles = 20)
    {
        for (var i = 0; i < goodFiles; i++)
        {
            var composer = $"composer{i % 4}";
            var piece = new MidiBytes(1, 96 * (1 + i % 3))
                .Track((0, Tempo(60 + i)))
                .Track([
                    .. Enumerable
                        .Range(0, 8 + i)
                        .SelectMany(n =>
                            new[] { (n == 0 ? 0 : 0, NoteOn(1, 50 + (n * 5 + i) % 30, 60 + n)), (48, NoteOff(1, 50 + (n * 5 + i) % 30)) }
                        ),
                ])
                .Build();
            Folder.Write($"midi/{composer}/piece{i:00}.mid", piece);
        }
        Folder.Write("midi/broken/empty.mid", []);
        Folder.Write("midi/broken/text.mid", "not music"u8.ToArray());
        Folder.Write("midi/broken/truncated.mid", TwoVoicePiece()[..60]);
        Folder.Write("midi/broken/smpte.midi", new MidiBytes(1, 0xE250).Track((0, NoteOn(1, 60, 64))).Build());
        Folder.Write("midi/broken/format2.mid", new MidiBytes(2, 96).Track((0, NoteOn(1, 60, 64)), (96, NoteOff(1, 60))).Build());
        Folder.Write("midi/broken/drums-only.mid", new MidiBytes(0, 96).Track((0, NoteOn(10, 36, 100)), (96, NoteOff(10, 36))).Build());
        Folder.Write("midi/notes.txt", "not a MIDI file by name: ignored"u8.ToArray());
        Folder.Write("midi/rmid/wrapped.rmi", WrapInRiff(TwoVoicePiece()));
    }

    public const int BrokenFiles = 6;

    public TemporaryFolder Folder { get; } = new();

    public string Midi => Path.Combine(Folder.Path, "midi");

    public void Dispose() => Folder.Dispose();
}
