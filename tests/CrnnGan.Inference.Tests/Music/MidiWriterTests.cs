using CrnnGan.Inference.Music;
using CrnnGan.TestSupport;
using NAudio.Midi;
using static CrnnGan.TestSupport.MidiBytes;

namespace CrnnGan.Inference.Tests.Music;

public sealed class MidiWriterTests
{
    private static Song Read(byte[] bytes) => MidiReader.Read(bytes, "x");

    [Fact]
    public void Midi_to_tones_to_midi_to_tones_is_identical()
    {
        // Chords, a key released and struck again on the same tick, two channels with their programs, tempo changes.
        var original = new MidiBytes(1, 384)
            .Track((0, Tempo(90)), (768, Tempo(72)))
            .Track(
                (0, Program(1, 40)),
                (0, NoteOn(1, 60, 64)),
                (0, NoteOn(1, 64, 70)),
                (0, NoteOn(1, 67, 75)),
                (0, NoteOn(1, 72, 80)),
                (192, NoteOff(1, 60)),
                (0, NoteOn(1, 60, 90)),
                (100, NoteOff(1, 60)),
                (92, NoteOff(1, 64)),
                (0, NoteOff(1, 67)),
                (0, NoteOff(1, 72)),
                (1, NoteOn(1, 61, 1)),
                (7, NoteOff(1, 61))
            )
            .Track((0, Program(3, 0)), (5, NoteOn(3, 36, 127)), (1000, NoteOff(3, 36)))
            .Build();

        var first = Read(original);
        var second = Read(MidiWriter.ToBytes(first, new MidiWriteOptions(TicksPerQuarter: 384)));

        Assert.Equal(7, first.Tones.Count);
        Assert.Equal(first.Tones, second.Tones);
        Assert.Equal(first.Tempo.Changes, second.Tempo.Changes);
    }

    [Fact]
    public void The_round_trip_holds_for_a_resolution_that_divides_the_written_one()
    {
        var first = Read(TwoVoicePiece(division: 96));
        var second = Read(MidiWriter.ToBytes(first, new MidiWriteOptions(TicksPerQuarter: 960)));

        Assert.Equal(first.Tones, second.Tones);
    }

    [Fact]
    public void Values_a_midi_file_cannot_hold_are_clamped()
    {
        var song = new Song("clamped", [new Tone(-1, 0, 130, 0), new Tone(1, -2, -5, 300)], TempoMap.Default);

        var tones = Read(MidiWriter.ToBytes(song, new MidiWriteOptions(TicksPerQuarter: 100))).Tones;

        Assert.Equal([new Tone(0, 0.01, 127, 1), new Tone(1, 0.01, 0, 127)], tones);
    }

    [Fact]
    public void Onsets_are_placed_from_their_absolute_time_so_rounding_never_drifts()
    {
        // 3,000 tones a third of a quarter apart: summing rounded deltas would drift by up to 1,000 ticks.
        var tones = Enumerable.Range(0, 3000).Select(i => new Tone(i / 3.0, 1 / 3.0, 60 + i % 12, 80)).ToList();
        var written = MidiWriter.ToBytes(new Song("thirds", tones, TempoMap.Default), new MidiWriteOptions(TicksPerQuarter: 100));

        var ticks = new MidiFile(new MemoryStream(written), strictChecking: true)
            .Events[0]
            .OfType<NoteOnEvent>()
            .Where(e => e.Velocity > 0)
            .Select(e => e.AbsoluteTime)
            .ToList();
        Assert.Equal(Enumerable.Range(0, 3000).Select(i => (long)Math.Round(i * 100 / 3.0, MidpointRounding.AwayFromZero)), ticks);
    }

    [Fact]
    public void Tempo_and_program_settings_replace_the_songs_own()
    {
        var song = Read(TwoVoicePiece());

        var written = Read(MidiWriter.ToBytes(song, new MidiWriteOptions(Bpm: 45, Program: 19)));

        Assert.Equal(45, Assert.Single(written.Tempo.Changes).Bpm, 3);
        Assert.All(written.Tones, t => Assert.Equal(19, t.Program));
    }

    [Fact]
    public void The_file_is_a_valid_format_0_file_for_a_strict_independent_parser()
    {
        var written = MidiWriter.ToBytes(Read(TwoVoicePiece()), new MidiWriteOptions(TicksPerQuarter: 480));

        var file = new MidiFile(new MemoryStream(written), strictChecking: true);
        Assert.Equal(0, file.FileFormat);
        Assert.Equal(480, file.DeltaTicksPerQuarterNote);
        var notes = file.Events[0].OfType<NoteOnEvent>().Where(n => n.Velocity > 0).ToList();
        Assert.Equal(8, notes.Count);
        Assert.All(notes, n => Assert.NotNull(n.OffEvent));
        Assert.True(MidiEvent.IsEndTrack(file.Events[0][^1]));
    }

    [Fact]
    public void Writing_a_file_leaves_only_the_finished_file()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "song.mid");
        File.WriteAllText(path, "an older file that gets replaced");

        MidiWriter.WriteFile(Read(TwoVoicePiece()), path);

        Assert.Equal([path], Directory.GetFiles(folder.Path));
        Assert.Equal(8, MidiReader.Read(path).Tones.Count);
    }

    [Fact]
    public void Settings_outside_midis_range_are_refused()
    {
        var song = Read(TwoVoicePiece());

        Assert.Throws<ArgumentOutOfRangeException>(() => MidiWriter.ToBytes(song, new MidiWriteOptions(TicksPerQuarter: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => MidiWriter.ToBytes(song, new MidiWriteOptions(Program: 128)));
        Assert.Throws<ArgumentOutOfRangeException>(() => MidiWriter.ToBytes(song, new MidiWriteOptions(Bpm: -3)));
    }
}
