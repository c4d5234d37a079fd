using System.Buffers.Binary;
using NAudio.Midi;

namespace CrnnGan.Inference.Music;

/// <summary>
/// Reads Standard MIDI Files (formats 0 and 1, plain or wrapped in RIFF RMID) into songs of tones.
/// All tracks are merged. A note sounds from a note-on with velocity above 0 until a note-off or a
/// note-on with velocity 0 of the same channel and pitch. One key of one channel sounds once at a time,
/// as on a MIDI instrument: a second note-on of a sounding key ends the first tone there and starts a new one.
/// Notes that are never switched off get <see cref="MidiReadOptions.UnclosedNoteQuarters"/>; notes of zero
/// length are inaudible and dropped.
/// </summary>
public static class MidiReader
{
    /// <summary>Reads the MIDI file at <paramref name="path"/>; a <see cref="MidiReadException"/> names what is wrong with a broken file.</summary>
    public static Song Read(string path, MidiReadOptions? options = null)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MidiReadException($"cannot read the file: {e.Message}", e);
        }
        return Read(bytes, Path.GetFileName(path), options);
    }

    /// <summary>Reads a MIDI file's bytes; <paramref name="name"/> names it in the song and in errors.</summary>
    public static Song Read(byte[] bytes, string name, MidiReadOptions? options = null)
    {
        options ??= MidiReadOptions.Default;
        var ticksPerQuarter = CheckHeader(bytes);

        MidiFile file;
        try
        {
            file = new MidiFile(new MemoryStream(bytes, writable: false), strictChecking: false);
        }
        catch (Exception e)
        {
            // NAudio reports broken data through many exception types (format, end of stream, range...).
            throw new MidiReadException($"corrupt or truncated MIDI data ({e.GetType().Name}: {e.Message})", e);
        }

        var tones = new List<(long Start, long End, int Pitch, int Velocity, int Channel, int Program)>();
        var tempo = new List<TempoChange>();
        var programs = new int[17];
        var sounding = new Dictionary<(int Channel, int Pitch), (long Start, int Velocity, int Program)>();
        var unclosedTicks = Math.Max(1, (long)Math.Round(options.UnclosedNoteQuarters * ticksPerQuarter));

        void Close(int channel, int pitch, long end)
        {
            if (!sounding.Remove((channel, pitch), out var note) || end <= note.Start)
                return;
            tones.Add((note.Start, end, pitch, note.Velocity, channel, note.Program));
        }

        foreach (var midiEvent in MergedEvents(file))
        {
            var time = midiEvent.AbsoluteTime;
            switch (midiEvent)
            {
                case TempoEvent t when t.MicrosecondsPerQuarterNote > 0:
                    tempo.Add(new TempoChange(time / (double)ticksPerQuarter, t.MicrosecondsPerQuarterNote));
                    break;
                case PatchChangeEvent p:
                    programs[p.Channel] = p.Patch;
                    break;
                case NoteEvent n when n.Channel == MidiReadOptions.PercussionChannel && !options.IncludePercussion:
                    break;
                case NoteEvent n when MidiEvent.IsNoteOn(n):
                    Close(n.Channel, n.NoteNumber, time);
                    sounding[(n.Channel, n.NoteNumber)] = (time, n.Velocity, programs[n.Channel]);
                    break;
                case NoteEvent n when MidiEvent.IsNoteOff(n):
                    Close(n.Channel, n.NoteNumber, time);
                    break;
            }
        }
        foreach (var ((channel, pitch), note) in sounding.ToList())
            Close(channel, pitch, note.Start + unclosedTicks);

        var ordered = tones
            .OrderBy(t => t.Start)
            .ThenBy(t => t.Pitch)
            .ThenBy(t => t.Channel)
            .Select(t => new Tone(
                t.Start / (double)ticksPerQuarter,
                (t.End - t.Start) / (double)ticksPerQuarter,
                t.Pitch,
                t.Velocity,
                t.Channel,
                t.Program
            ))
            .ToList();
        return new Song(name, ordered, new TempoMap(tempo));
    }

    /// <summary>The events of all tracks in time order; ties keep track order, then file order.</summary>
    private static IEnumerable<MidiEvent> MergedEvents(MidiFile file)
    {
        var all = new List<(long Time, int Track, int Index, MidiEvent Event)>();
        for (var track = 0; track < file.Events.Tracks; track++)
        {
            var events = file.Events[track];
            for (var i = 0; i < events.Count; i++)
                all.Add((events[i].AbsoluteTime, track, i, events[i]));
        }
        all.Sort((a, b) => (a.Time, a.Track, a.Index).CompareTo((b.Time, b.Track, b.Index)));
        return all.Select(e => e.Event);
    }

    /// <summary>Refuses what NAudio would read without complaint but we cannot interpret; returns ticks per quarter note.</summary>
    private static int CheckHeader(byte[] bytes)
    {
        if (bytes.Length == 0)
            throw new MidiReadException("empty file (0 bytes)");
        var header = FindHeader(bytes);
        if (header < 0)
            throw new MidiReadException("not a Standard MIDI File: no MThd header");
        if (bytes.Length < header + 14)
            throw new MidiReadException("truncated MIDI header");

        var format = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(header + 8));
        var division = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(header + 12));
        if (format == 2)
            throw new MidiReadException("MIDI format 2 (independent sequences) is not supported: its tracks are separate songs, not voices of one");
        if (format > 2)
            throw new MidiReadException($"unknown MIDI format {format}");
        if ((division & 0x8000) != 0)
        {
            var framesPerSecond = -(sbyte)(division >> 8);
            throw new MidiReadException(
                $"SMPTE time division ({framesPerSecond} frames/s, {division & 0xFF} ticks/frame) is not supported: it has no quarter notes to "
                    + $"measure tones in"
            );
        }
        if (division == 0)
            throw new MidiReadException("time division of 0 ticks per quarter note");
        return division;
    }

    private static int FindHeader(byte[] bytes)
    {
        ReadOnlySpan<byte> mthd = "MThd"u8;
        if (bytes.AsSpan().StartsWith(mthd))
            return 0;
        // RIFF RMID: "RIFF" size "RMID" "data" size, then the Standard MIDI File.
        if (bytes.AsSpan().StartsWith("RIFF"u8) && bytes.Length >= 12 && bytes.AsSpan(8).StartsWith("RMID"u8))
        {
            var at = bytes.AsSpan(12, Math.Min(bytes.Length - 12, 256)).IndexOf(mthd);
            return at < 0 ? -1 : at + 12;
        }
        return -1;
    }
}
