using CrnnGan.Inference.Music;
using CrnnGan.TestSupport;
using static CrnnGan.TestSupport.MidiBytes;

namespace CrnnGan.Inference.Tests.Music;

public sealed class MidiReaderTests
{
    [Fact]
    public void Merges_tracks_into_tones_in_quarter_notes_sorted_by_onset_then_pitch()
    {
        var song = MidiReader.Read(TwoVoicePiece(division: 480), "piece");

        Assert.Equal(
            [
                new Tone(0, 2, 48, 70, 2, 32),
                new Tone(0, 1, 72, 90, 1, 0),
                new Tone(1, 0.5, 74, 80, 1, 0),
                new Tone(1.5, 0.5, 74, 85, 1, 0),
                new Tone(2, 2, 43, 75, 2, 32),
                new Tone(2, 2, 76, 100, 1, 0),
                new Tone(2, 2, 79, 100, 1, 0),
                new Tone(2, 2, 84, 100, 1, 0),
            ],
            song.Tones
        );
    }

    [Theory]
    [InlineData(96)]
    [InlineData(384)]
    [InlineData(1024)]
    public void Time_is_measured_in_quarter_notes_whatever_the_resolution(int division)
    {
        var song = MidiReader.Read(TwoVoicePiece(division), "piece");

        Assert.Equal(4.0, song.LengthInQuarters);
        Assert.Equal(1.5, song.Tones[3].Onset);
    }

    [Fact]
    public void A_note_on_with_velocity_zero_ends_the_note()
    {
        var bytes = new MidiBytes(0, 100).Track((0, NoteOn(1, 60, 64)), (50, NoteOn(1, 60, 0))).Build();

        var tone = Assert.Single(MidiReader.Read(bytes, "x").Tones);
        Assert.Equal(0.5, tone.Duration);
    }

    [Fact]
    public void Striking_a_sounding_key_again_ends_the_first_tone_there()
    {
        var bytes = new MidiBytes(0, 100).Track((0, NoteOn(1, 60, 64)), (100, NoteOn(1, 60, 70)), (100, NoteOff(1, 60)), (0, NoteOff(1, 60))).Build();

        var tones = MidiReader.Read(bytes, "x").Tones;
        Assert.Equal([new Tone(0, 1, 60, 64), new Tone(1, 1, 60, 70)], tones);
    }

    [Fact]
    public void The_same_key_on_two_channels_gives_two_overlapping_tones()
    {
        var bytes = new MidiBytes(0, 100).Track((0, NoteOn(1, 60, 64)), (50, NoteOn(2, 60, 64)), (50, NoteOff(1, 60)), (100, NoteOff(2, 60))).Build();

        var tones = MidiReader.Read(bytes, "x").Tones;
        Assert.Equal([new Tone(0, 1, 60, 64, 1), new Tone(0.5, 1.5, 60, 64, 2)], tones);
    }

    [Fact]
    public void A_note_never_switched_off_gets_the_default_length()
    {
        var bytes = new MidiBytes(0, 100).Track((0, NoteOn(1, 60, 64)), (300, NoteOn(1, 62, 64)), (10, NoteOff(1, 62))).Build();

        Assert.Equal(1.0, MidiReader.Read(bytes, "x").Tones[0].Duration);
        Assert.Equal(0.25, MidiReader.Read(bytes, "x", new MidiReadOptions(UnclosedNoteQuarters: 0.25)).Tones[0].Duration);
    }

    [Fact]
    public void Zero_length_notes_and_stray_note_offs_are_dropped()
    {
        var bytes = new MidiBytes(0, 100)
            .Track((0, NoteOff(1, 50)), (0, NoteOn(1, 60, 64)), (0, NoteOff(1, 60)), (10, NoteOn(1, 62, 64)), (10, NoteOff(1, 62)))
            .Build();

        var tone = Assert.Single(MidiReader.Read(bytes, "x").Tones);
        Assert.Equal(62, tone.Pitch);
    }

    [Fact]
    public void The_percussion_channel_is_left_out_unless_asked_for()
    {
        var bytes = new MidiBytes(0, 100)
            .Track((0, NoteOn(10, 36, 100)), (0, NoteOn(1, 60, 64)), (100, NoteOff(10, 36)), (0, NoteOff(1, 60)))
            .Build();

        Assert.Equal([60], MidiReader.Read(bytes, "x").Tones.Select(t => t.Pitch));
        Assert.Equal([36, 60], MidiReader.Read(bytes, "x", new MidiReadOptions(IncludePercussion: true)).Tones.Select(t => t.Pitch));
    }

    [Fact]
    public void Running_status_is_understood()
    {
        // After the first note-on, further channel events omit the status byte.
        var bytes = new MidiBytes(0, 100).Track((0, NoteOn(1, 60, 64)), (0, [64, 64]), (100, [60, 0]), (0, [64, 0])).Build();

        Assert.Equal([60, 64], MidiReader.Read(bytes, "x").Tones.Select(t => t.Pitch));
    }

    [Fact]
    public void The_tempo_map_times_the_song_in_seconds()
    {
        // Two quarters at 120 BPM (1 s), then two at 60 BPM (2 s).
        var bytes = new MidiBytes(1, 100).Track((0, Tempo(120)), (200, Tempo(60))).Track((0, NoteOn(1, 60, 64)), (400, NoteOff(1, 60))).Build();

        var song = MidiReader.Read(bytes, "x");
        Assert.Equal(3.0, song.LengthInSeconds, 9);
        Assert.Equal(0.5, song.Tempo.ToSeconds(1), 9);
        Assert.Equal([120.0, 60.0], song.Tempo.Changes.Select(c => Math.Round(c.Bpm, 6)));
    }

    [Fact]
    public void A_file_without_tempo_events_plays_at_120_bpm()
    {
        var song = MidiReader.Read(new MidiBytes(0, 100).Track((0, NoteOn(1, 60, 64)), (400, NoteOff(1, 60))).Build(), "x");

        Assert.Equal(2.0, song.LengthInSeconds, 9);
    }

    [Fact]
    public void A_riff_rmid_file_reads_like_the_midi_inside_it()
    {
        var plain = MidiReader.Read(TwoVoicePiece(), "x");
        var wrapped = MidiReader.Read(WrapInRiff(TwoVoicePiece()), "x");

        Assert.Equal(plain.Tones, wrapped.Tones);
    }

    public static TheoryData<string, byte[], string> Unreadable =>
        new()
        {
            { "empty", [], "empty file" },
            { "text", "hello, this is not music"u8.ToArray(), "no MThd header" },
            { "header only", TwoVoicePiece()[..10], "truncated MIDI header" },
            { "SMPTE", new MidiBytes(1, 0xE728).Track((0, NoteOn(1, 60, 64))).Build(), "SMPTE time division (25 frames/s, 40 ticks/frame)" },
            { "format 2", new MidiBytes(2, 96).Track((0, NoteOn(1, 60, 64))).Build(), "format 2" },
            { "division 0", new MidiBytes(0, 0).Track((0, NoteOn(1, 60, 64))).Build(), "0 ticks per quarter" },
            { "truncated track", TwoVoicePiece()[..60], "corrupt or truncated" },
        };

    [Theory]
    [MemberData(nameof(Unreadable))]
    public void Unreadable_files_are_refused_with_one_reason(string what, byte[] bytes, string reason)
    {
        var error = Assert.Throws<MidiReadException>(() => MidiReader.Read(bytes, what));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Random_and_bit_flipped_files_never_fail_with_anything_but_a_reason()
    {
        var random = new Random(20161128);
        var original = TwoVoicePiece();
        for (var trial = 0; trial < 2000; trial++)
        {
            byte[] bytes;
            if (trial % 2 == 0)
            {
                bytes = (byte[])original.Clone();
                for (var flips = random.Next(1, 8); flips > 0; flips--)
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
            }
            else
            {
                bytes = new byte[random.Next(4, 200)];
                random.NextBytes(bytes);
                if (trial % 4 == 1)
                    "MThd"u8.CopyTo(bytes);
            }

            try
            {
                var song = MidiReader.Read(bytes, "fuzz");
                Assert.All(song.Tones, t => Assert.True(t.Duration > 0 && t.Pitch is >= 0 and <= 127 && t.Velocity is >= 1 and <= 127));
            }
            catch (MidiReadException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
            }
        }
    }

    [Fact]
    public void A_missing_file_is_refused_with_its_reason()
    {
        var error = Assert.Throws<MidiReadException>(() => MidiReader.Read("/nonexistent/song.mid"));
        Assert.Contains("cannot read the file", error.Message, StringComparison.Ordinal);
    }
}
