using System.Buffers.Binary;

namespace CrnnGan.TestSupport;

/// <summary>
/// Builds Standard MIDI Files byte by byte, independently of the code under test, so that tests can make
/// exactly the files they need: several tracks, running status, broken headers, SMPTE timing, format 2.
/// </summary>
public sealed class MidiBytes
{
    private readonly List<byte[]> _tracks = [];

    public MidiBytes(int format = 1, int division = 480)
    {
        Format = format;
        Division = division;
    }

    public int Format { get; }

    public int Division { get; }

    /// <summary>Adds a track of (delta ticks, event bytes); an end-of-track meta event is appended.</summary>
    public MidiBytes Track(params (int Delta, byte[] Event)[] events)
    {
        var body = new List<byte>();
        foreach (var (delta, data) in events)
        {
            body.AddRange(VariableLength(delta));
            body.AddRange(data);
        }
        body.AddRange([0x00, 0xFF, 0x2F, 0x00]);
        _tracks.Add([.. body]);
        return this;
    }

    public byte[] Build()
    {
        var file = new List<byte>();
        file.AddRange("MThd"u8.ToArray());
        file.AddRange(BigEndian32(6));
        file.AddRange(BigEndian16(Format));
        file.AddRange(BigEndian16(_tracks.Count));
        file.AddRange(BigEndian16(Division));
        foreach (var track in _tracks)
        {
            file.AddRange("MTrk"u8.ToArray());
            file.AddRange(BigEndian32(track.Length));
            file.AddRange(track);
        }
        return [.. file];
    }

    /// <summary>The file wrapped as a RIFF RMID file, as some collections store MIDI.</summary>
    public static byte[] WrapInRiff(byte[] midi)
    {
        var file = new List<byte>();
        file.AddRange("RIFF"u8.ToArray());
        file.AddRange(LittleEndian32(4 + 8 + midi.Length));
        file.AddRange("RMID"u8.ToArray());
        file.AddRange("data"u8.ToArray());
        file.AddRange(LittleEndian32(midi.Length));
        file.AddRange(midi);
        return [.. file];
    }

    public static byte[] NoteOn(int channel, int pitch, int velocity) => [(byte)(0x90 | (channel - 1)), (byte)pitch, (byte)velocity];

    public static byte[] NoteOff(int channel, int pitch) => [(byte)(0x80 | (channel - 1)), (byte)pitch, 0x40];

    public static byte[] Program(int channel, int program) => [(byte)(0xC0 | (channel - 1)), (byte)program];

    public static byte[] Tempo(double bpm)
    {
        var microseconds = (int)Math.Round(60_000_000 / bpm);
        return [0xFF, 0x51, 0x03, (byte)(microseconds >> 16), (byte)(microseconds >> 8), (byte)microseconds];
    }

    /// <summary>A few bars of a two-voice piece: a melody with a repeated note and a chord, over a bass line.</summary>
    public static byte[] TwoVoicePiece(int division = 480) =>
        new MidiBytes(1, division)
            .Track((0, Tempo(100)))
            .Track(
                (0, Program(1, 0)),
                (0, NoteOn(1, 72, 90)),
                (division, NoteOff(1, 72)),
                (0, NoteOn(1, 74, 80)),
                (division / 2, NoteOff(1, 74)),
                (0, NoteOn(1, 74, 85)),
                (division / 2, NoteOff(1, 74)),
                (0, NoteOn(1, 76, 100)),
                (0, NoteOn(1, 79, 100)),
                (0, NoteOn(1, 84, 100)),
                (division * 2, NoteOff(1, 76)),
                (0, NoteOff(1, 79)),
                (0, NoteOff(1, 84))
            )
            .Track(
                (0, Program(2, 32)),
                (0, NoteOn(2, 48, 70)),
                (division * 2, NoteOff(2, 48)),
                (0, NoteOn(2, 43, 75)),
                (division * 2, NoteOff(2, 43))
            )
            .Build();

    private static Stack<byte> VariableLength(int value)
    {
        var stack = new Stack<byte>();
        stack.Push((byte)(value & 0x7F));
        while ((value >>= 7) > 0)
            stack.Push((byte)((value & 0x7F) | 0x80));
        return stack;
    }

    private static byte[] BigEndian16(int value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)value);
        return bytes;
    }

    private static byte[] BigEndian32(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] LittleEndian32(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        return bytes;
    }
}
