using CrnnGan.Inference.Features;
using CrnnGan.Inference.Generation;
using CrnnGan.Inference.Generation.Encodings;
using CrnnGan.Inference.Music;
using CrnnGan.TestSupport;

namespace CrnnGan.Inference.Tests.Cli;

/// <summary>README's main command on a fresh clone: generate with the bundled model and nothing else.</summary>
public sealed class BundledModelTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    [Fact]
    public void Generate_without_a_model_uses_the_bundled_one_and_writes_playable_midi()
    {
        Assert.True(File.Exists(Repository.Model("crnngan.onnx")), "models/crnngan.onnx is missing from the repository.");

        var result = CommandLine.Run("crnngan", "generate", "--count", "2", "--out", _folder.Path);

        Assert.True(result.ExitCode == 0, result.Error);
        foreach (var file in new[] { "song-000000.mid", "song-000001.mid" })
            Assert.NotEmpty(MidiReader.Read(Path.Combine(_folder.Path, file)).Tones);
        Assert.DoesNotContain("onnxruntime", result.Error, StringComparison.OrdinalIgnoreCase);
        Assert.True(
            result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.Contains("CPU", StringComparison.Ordinal)) <= 1,
            result.Error
        );
    }

    [Theory]
    [InlineData("crnngan.onnx", true)]
    [InlineData("crnngan-baseline.onnx", true)]
    [InlineData("paper-crnngan.onnx", false)]
    [InlineData("paper-baseline.onnx", false)]
    public void The_bundled_models_are_paper_size_generators_of_their_family(string name, bool tones)
    {
        using var session = GeneratorSession.Open(Repository.Model(name), new GeneratorSessionOptions(ExecutionProvider.Cpu));
        Assert.Equal((350, 2), (session.Metadata.HiddenSize, session.Metadata.Layers));
        Assert.Equal(tones, session.Metadata.Encoding is ToneEncoding);
        Assert.Equal(4, session.Metadata.Features); // one tone a step: four features, or four heads
        Assert.True(new FileInfo(Repository.Model(name)).Length <= 10 * 1024 * 1024);
    }

    [Theory]
    [InlineData("crnngan.onnx")]
    [InlineData("paper-crnngan.onnx")]
    public void A_songs_midi_file_holds_the_tones_that_were_generated(string name)
    {
        using var session = GeneratorSession.Open(Repository.Model(name), new GeneratorSessionOptions(ExecutionProvider.Cpu));
        var songs = new SongGenerator(session).Generate(
            new GenerationRequest
            {
                Count = 16,
                Steps = 200,
                Seed = 5,
            }
        );

        foreach (var song in songs)
        {
            var read = MidiReader.Read(song.ToMidi(0), song.Song.Name).Tones;
            Assert.Equal(song.Song.Tones.Select(Ticks), read.Select(Ticks));
        }

        // A file holds whole ticks, and a tone at least one.
        static (long, long, int, int) Ticks(Tone t) => (Tick(t.Onset), Math.Max(1, Tick(t.End) - Tick(t.Onset)), t.Pitch, t.Velocity);

        static long Tick(double quarters) => (long)Math.Round(quarters * StepEncoder.TicksPerQuarter, MidpointRounding.AwayFromZero);
    }

    public void Dispose() => _folder.Dispose();
}
