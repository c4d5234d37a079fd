using CrnnGan.Inference.Storage;
using NAudio.Midi;

namespace CrnnGan.Inference.Music;

/// <summary>
/// Writes songs as single-track (format 0) Standard MIDI Files. Tones are put on the tick grid from their
/// absolute onset and end, so rounding never accumulates into drift. Values a MIDI file cannot hold are
/// clamped: onsets to at least 0, lengths to at least one tick, pitch to 0..127, velocity to 1..127.
/// </summary>
public static class MidiWriter
{
    /// <summary>The song as a Standard MIDI File (format 1).</summary>
    public static byte[] ToBytes(Song song, MidiWriteOptions? options = null)
    {
        using var stream = new MemoryStream();
        Write(song, stream, options);
        return stream.ToArray();
    }

    /// <summary>Writes to a temporary file beside <paramref name="path"/>, then renames it into place.</summary>
    public static void WriteFile(Song song, string path, MidiWriteOptions? options = null) => AtomicFile.WriteAllBytes(path, ToBytes(song, options));

    /// <summary>Writes the song as a Standard MIDI File (format 1) to <paramref name="stream"/>.</summary>
    public static void Write(Song song, Stream stream, MidiWriteOptions? options = null)
    {
        options ??= MidiWriteOptions.Default;
        if (options.TicksPerQuarter is < 1 or > 0x7FFF)
            throw new ArgumentOutOfRangeException(nameof(options), options.TicksPerQuarter, "Ticks per quarter note must be between 1 and 32767.");
        if (options.Program is < 0 or > 127)
            throw new ArgumentOutOfRangeException(nameof(options), options.Program, "A General MIDI program is between 0 and 127.");
        var ticksPerQuarter = options.TicksPerQuarter;
        var tempo = options.Bpm is { } bpm ? TempoMap.Constant(bpm) : song.Tempo;

        // Order within a tick matters: tempo and program first, then note-offs, then note-ons, so that a
        // key released and struck again on the same tick reads back as two tones.
        var timed = new List<(long Tick, int Order, MidiEvent Event)>();
        foreach (var change in tempo.Changes)
        {
            var tick = Tick(change.Quarter, ticksPerQuarter);
            timed.Add((tick, 0, new TempoEvent(change.MicrosecondsPerQuarter, tick)));
        }

        var programs = new Dictionary<int, int>();
        foreach (var tone in song.Tones)
        {
            var channel = Math.Clamp(tone.Channel, 1, 16);
            var program = options.Program ?? Math.Clamp(tone.Program, 0, 127);
            var start = Tick(tone.Onset, ticksPerQuarter);
            var end = Math.Max(start + 1, Tick(tone.End, ticksPerQuarter));
            var pitch = Math.Clamp(tone.Pitch, 0, 127);
            var velocity = Math.Clamp(tone.Velocity, 1, 127);

            if (!programs.TryGetValue(channel, out var current) || current != program)
            {
                programs[channel] = program;
                timed.Add((start, 1, new PatchChangeEvent(start, channel, program)));
            }
            timed.Add((end, 2, new NoteEvent(end, channel, MidiCommandCode.NoteOff, pitch, 0)));
            timed.Add((start, 3, new NoteEvent(start, channel, MidiCommandCode.NoteOn, pitch, velocity)));
        }

        var events = new MidiEventCollection(0, ticksPerQuarter);
        var last = 0L;
        foreach (var (tick, _, midiEvent) in timed.OrderBy(e => e.Tick).ThenBy(e => e.Order))
        {
            events.AddEvent(midiEvent, 0);
            last = tick;
        }
        events.AddEvent(new MetaEvent(MetaEventType.EndTrack, 0, last), 0);
        MidiFile.Export(stream, events);
    }

    private static long Tick(double quarters, int ticksPerQuarter) =>
        Math.Max(0, (long)Math.Round(quarters * ticksPerQuarter, MidpointRounding.AwayFromZero));
}
