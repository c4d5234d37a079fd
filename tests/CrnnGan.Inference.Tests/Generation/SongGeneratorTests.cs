using CrnnGan.Inference.Generation;
using CrnnGan.Inference.Music;
using CrnnGan.TestSupport;
using NAudio.Midi;

namespace CrnnGan.Inference.Tests.Generation;

public sealed class SongGeneratorTests : IDisposable
{
    private readonly GeneratorSession _session = GeneratorSession.Open(
        FixtureModels.OneTonePerStep,
        new GeneratorSessionOptions(ExecutionProvider.Cpu)
    );

    private SongGenerator Generator => new(_session);

    [Fact]
    public void The_same_seed_gives_byte_identical_midi_and_other_seeds_other_music()
    {
        var request = new GenerationRequest
        {
            Count = 3,
            Steps = 64,
            Seed = 42,
        };

        var first = Generator.Generate(request).Select(s => s.ToMidi(0)).ToList();
        var again = Generator.Generate(request).Select(s => s.ToMidi(0)).ToList();
        var other = Generator.Generate(request with { Seed = 43 }).Select(s => s.ToMidi(0)).ToList();

        Assert.Equal(first, again);
        Assert.NotEqual(first[0], other[0]);
        Assert.Equal(first[1], other[0]); // song i uses seed + i: seed 43 is song 1 of seed 42
        Assert.Equal(3, first.Distinct(new BytesComparer()).Count());
    }

    [Fact]
    public void A_song_is_the_same_however_many_songs_are_asked_for()
    {
        var few = Generator.Generate(
            new GenerationRequest
            {
                Count = 2,
                Steps = 32,
                Seed = 7,
                BatchSize = 4,
            }
        );
        var many = Generator.Generate(
            new GenerationRequest
            {
                Count = 9,
                Steps = 32,
                Seed = 7,
                BatchSize = 4,
            }
        );

        Assert.Equal(few.Select(s => s.ToMidi(0)), many.Take(2).Select(s => s.ToMidi(0)));
        Assert.Equal(Enumerable.Range(0, 9), many.Select(s => s.Index));
    }

    [Fact]
    public void Concurrent_generation_from_eight_threads_equals_sequential_generation()
    {
        var requests = Enumerable
            .Range(0, 8)
            .Select(i => new GenerationRequest
            {
                Count = 4,
                Steps = 48,
                Seed = (ulong)(100 * i),
                BatchSize = 2 + i % 3,
            })
            .ToList();
        var sequential = requests.Select(r => Generator.Generate(r).Select(s => s.ToMidi(0)).ToList()).ToList();

        var concurrent = new List<byte[]>[8];
        var threads = Enumerable
            .Range(0, 8)
            .Select(i => new Thread(() => concurrent[i] = [.. Generator.Generate(requests[i]).Select(s => s.ToMidi(0))]))
            .ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        for (var i = 0; i < 8; i++)
            Assert.Equal(sequential[i], concurrent[i]);
    }

    [Fact]
    public void A_primers_tones_stand_as_given_at_the_start_and_the_model_continues()
    {
        Tone[] primer = [new(0, 1, 60, 80), new(1, 0.5, 64, 90), new(1.5, 0.5, 67, 100), new(2, 2, 72, 110)];

        var song = Generator
            .Generate(
                new GenerationRequest
                {
                    Steps = 32,
                    Seed = 3,
                    Primer = primer,
                    Program = 5,
                }
            )
            .Single();

        Assert.Equal(primer.Select(t => t with { Program = 5 }), song.Song.Tones.Take(4));
        Assert.True(song.Song.Tones.Count > 4);
        Assert.All(song.Song.Tones.Skip(4), t => Assert.True(t.Onset >= 2));
    }

    [Fact]
    public void A_primer_changes_what_follows()
    {
        var plain = Generator.Generate(new GenerationRequest { Steps = 32, Seed = 3 }).Single();
        var primed = Generator
            .Generate(
                new GenerationRequest
                {
                    Steps = 32,
                    Seed = 3,
                    Primer = [new(0, 4, 40, 127)],
                }
            )
            .Single();

        Assert.NotEqual(plain.Song.Tones.Select(t => t.Pitch), primed.Song.Tones.Skip(1).Select(t => t.Pitch));
    }

    [Fact]
    public void A_duration_is_filled_and_cut()
    {
        var songs = Generator.Generate(
            new GenerationRequest
            {
                Count = 2,
                DurationSeconds = 20,
                Bpm = 100,
                Seed = 1,
            }
        );

        var limit = 20 * 100 / 60.0;
        Assert.All(
            songs,
            s =>
            {
                Assert.All(s.Song.Tones, t => Assert.True(t.End <= limit + 1e-9));
                Assert.InRange(s.Song.LengthInSeconds, 15, 20 + 1e-9);
            }
        );
    }

    [Fact]
    public void The_noise_scale_changes_the_music()
    {
        var request = new GenerationRequest { Steps = 64, Seed = 9 };

        var trained = Generator.Generate(request).Single();
        var tame = Generator.Generate(request with { NoiseScale = 0 }).Single();

        Assert.NotEqual(trained.ToMidi(0), tame.ToMidi(0));
    }

    [Fact]
    public void Three_tones_per_step_models_write_chords()
    {
        using var session = GeneratorSession.Open(FixtureModels.ThreeTonesPerStep, new GeneratorSessionOptions(ExecutionProvider.Cpu));

        var song = new SongGenerator(session).Generate(new GenerationRequest { Steps = 64, Seed = 2 }).Single();

        Assert.True(song.Song.Tones.Count > 0);
        Assert.True(song.Song.Tones.Count <= 3 * 64);
    }

    [Fact]
    public void Generated_midi_reads_back_in_an_independent_parser_as_the_json_says()
    {
        var song = Generator
            .Generate(
                new GenerationRequest
                {
                    Steps = 128,
                    Seed = 11,
                    Bpm = 90,
                }
            )
            .Single();
        var document = SongDocument.Of(song, 0);

        var file = new MidiFile(new MemoryStream(song.ToMidi(0)), strictChecking: true);
        var notes = file.Events[0].OfType<NoteOnEvent>().Where(n => n.Velocity > 0).ToList();

        Assert.Equal(document.Notes.Count, notes.Count);
        var ticks = file.DeltaTicksPerQuarterNote;
        for (var i = 0; i < notes.Count; i++)
        {
            Assert.Equal(document.Notes[i].Pitch, notes[i].NoteNumber);
            Assert.Equal(document.Notes[i].Velocity, notes[i].Velocity);
            Assert.Equal(document.Notes[i].OnsetQuarters * ticks, notes[i].AbsoluteTime, 6);
            // MIDI holds the tempo in whole microseconds per quarter note (666,667 at 90 BPM).
            Assert.True(Math.Abs(document.Notes[i].OnsetQuarters * 666_667 / 1e6 - document.Notes[i].OnsetSeconds) < 1e-9);
        }
        var tempo = file.Events[0].OfType<TempoEvent>().Single();
        Assert.Equal(90, tempo.Tempo, 3);
    }

    [Fact]
    public void Requests_out_of_range_are_refused_naming_the_setting()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            Generator.Generate(
                new GenerationRequest
                {
                    Count = -1,
                    Steps = 1_000_000_000,
                    Program = 200,
                }
            )
        );

        Assert.Contains("count must be", error.Message, StringComparison.Ordinal);
        Assert.Contains("steps must be", error.Message, StringComparison.Ordinal);
        Assert.Contains("program must be", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _session.Dispose();

    private sealed class BytesComparer : IEqualityComparer<byte[]>
    {
        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => obj.Length;
    }
}
