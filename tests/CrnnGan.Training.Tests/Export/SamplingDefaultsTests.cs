using CrnnGan.Inference.Generation;
using CrnnGan.TestSupport;
using CrnnGan.Training.Export;
using Onnx;

namespace CrnnGan.Training.Tests.Export;

/// <summary>`crnngan-train sampling`: other sampling defaults in an exported tone model's metadata, its weights untouched.</summary>
public sealed class SamplingDefaultsTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    [Fact]
    public void A_length_temperature_goes_into_the_metadata_shapes_the_lengths_and_leaves_the_graph_as_it_was()
    {
        var model = Repository.ModelBytes("crnngan.onnx");

        var (tuned, _) = SamplingDefaults.Apply(model, temperature: null, lengthTemperature: 3f);

        Assert.Equal(ModelProto.Parser.ParseFrom(model).Graph, ModelProto.Parser.ParseFrom(tuned).Graph);
        using var plain = GeneratorSession.Load(model, new GeneratorSessionOptions(ExecutionProvider.Cpu));
        using var hot = GeneratorSession.Load(tuned, new GeneratorSessionOptions(ExecutionProvider.Cpu));
        Assert.Equal((1f, 3f), (plain.Metadata.Tones().LengthTemperature, hot.Metadata.Tones().LengthTemperature));
        Assert.Equal(plain.Metadata.Tones().DefaultTemperature, hot.Metadata.Tones().DefaultTemperature);
        var request = new GenerationRequest { Count = 8, Steps = 100 };
        Assert.True(Lengths(hot, request) > Lengths(plain, request) + 3, $"{Lengths(hot, request)} against {Lengths(plain, request)}");

        static int Lengths(GeneratorSession session, GenerationRequest request) =>
            new SongGenerator(session).Generate(request).SelectMany(s => s.Song.Tones).Select(t => t.Duration).Distinct().Count();
    }

    [Fact]
    public void A_time_temperature_draws_the_time_in_place_of_the_requests_which_then_shapes_the_pitch_alone()
    {
        // A model without a time temperature of its own (the default has one).
        var model = Repository.ModelBytes("crnngan-meter-baseline.onnx");

        var (tuned, _) = SamplingDefaults.Apply(model, temperature: null, lengthTemperature: null, timeTemperature: 0.7f);
        var outOfRange = Assert.Throws<InvalidDataException>(() => SamplingDefaults.Apply(model, null, null, timeTemperature: 11f));

        Assert.Equal(ModelProto.Parser.ParseFrom(model).Graph, ModelProto.Parser.ParseFrom(tuned).Graph);
        Assert.Contains("time temperature", outOfRange.Message, StringComparison.Ordinal);
        using var plain = GeneratorSession.Load(model, new GeneratorSessionOptions(ExecutionProvider.Cpu));
        using var timed = GeneratorSession.Load(tuned, new GeneratorSessionOptions(ExecutionProvider.Cpu));
        Assert.Equal((null, 0.7f), (plain.Metadata.Tones().TimeTemperature, timed.Metadata.Tones().TimeTemperature));
        // At the time's own temperature the two models draw alike; at another, the plain model's rhythm follows the request.
        Assert.Equal(Songs(plain, 0.7f), Songs(timed, 0.7f));
        Assert.NotEqual(Songs(plain, 1.5f), Songs(timed, 1.5f));
        Assert.True(Onsets(timed, 1.5f) < Onsets(plain, 1.5f), $"{Onsets(timed, 1.5f)} against {Onsets(plain, 1.5f)} distinct gaps");

        static GenerationRequest Request(float temperature) =>
            new()
            {
                Count = 8,
                Steps = 100,
                Temperature = temperature,
            };

        static string Songs(GeneratorSession session, float temperature) =>
            string.Join(';', new SongGenerator(session).Generate(Request(temperature)).SelectMany(s => s.Song.Tones));

        // How many distinct gaps between onsets the songs hold: more at a higher temperature.
        static int Onsets(GeneratorSession session, float temperature) =>
            new SongGenerator(session)
                .Generate(Request(temperature))
                .SelectMany(s => s.Song.Tones.Zip(s.Song.Tones.Skip(1), (a, b) => Math.Round(b.Onset - a.Onset, 4)))
                .Distinct()
                .Count();
    }

    [Fact]
    public void Ascending_chords_draw_again_only_the_tones_at_the_onset_before_that_would_sound_at_or_below_the_tone_before()
    {
        // A model that draws pitch and time apart; the default's pitch reads the time and keeps the order itself.
        var model = Repository.ModelBytes("crnngan-meter-baseline.onnx");

        var (tuned, metadata) = SamplingDefaults.Apply(model, null, null, ascendingChords: true);
        var (untuned, _) = SamplingDefaults.Apply(tuned, null, null, ascendingChords: false);
        var ordered = Assert.Throws<InvalidDataException>(() =>
            SamplingDefaults.Apply(Repository.ModelBytes("crnngan.onnx"), null, null, ascendingChords: true)
        );

        Assert.Contains("keeps the chord's order itself", ordered.Message, StringComparison.Ordinal);
        Assert.Equal(ModelProto.Parser.ParseFrom(model).Graph, ModelProto.Parser.ParseFrom(tuned).Graph);
        Assert.True(metadata.Tones().AscendingChords);
        Assert.Equal(model, untuned);
        using var plain = GeneratorSession.Load(model, new GeneratorSessionOptions(ExecutionProvider.Cpu));
        using var ascending = GeneratorSession.Load(tuned, new GeneratorSessionOptions(ExecutionProvider.Cpu));
        var zero = plain.Metadata.Tones().Vocabulary.TimeBins.ToList().IndexOf(0.0);
        ulong[] seeds = [.. Enumerable.Range(0, 16).Select(i => (ulong)i)];
        var (before, after) = (plain.RunTones(16, 200, seeds, 1f, 1f, null), ascending.RunTones(16, 200, seeds, 1f, 1f, null));
        int At(int[] tones, int song, int step, int head) => tones[(song * 200 + step) * 4 + head];
        bool Breaks(int[] tones, int song, int step) => At(tones, song, step, 1) == zero && At(tones, song, step, 0) <= At(tones, song, step - 1, 0);

        var broken = 0;
        for (var song = 0; song < 16; song++)
        {
            Assert.DoesNotContain(Enumerable.Range(1, 199), step => Breaks(after, song, step));
            // The songs agree up to the first tone the plain model draws out of order, and part there.
            var parting = Enumerable
                .Range(0, 200)
                .FirstOrDefault(
                    step => At(before, song, step, 0) != At(after, song, step, 0) || At(before, song, step, 1) != At(after, song, step, 1),
                    -1
                );
            var first = Enumerable.Range(1, 199).FirstOrDefault(step => Breaks(before, song, step), -1);
            Assert.Equal(first, parting);
            broken += first > 0 ? 1 : 0;
        }
        Assert.True(broken >= 8, $"{broken} of 16 plain songs drew a chord out of order");
    }

    [Fact]
    public void The_command_writes_the_model_and_refuses_the_papers_model_and_a_temperature_out_of_range()
    {
        var output = Path.Combine(_folder.Path, "tuned.onnx");

        var written = CommandLine.Run(
            "crnngan-train",
            "sampling",
            "--model",
            Repository.Model("crnngan.onnx"),
            "--out",
            output,
            "--temperature",
            "0.9",
            "--length-temperature",
            "1.1"
        );
        var paper = Assert.Throws<InvalidDataException>(() => SamplingDefaults.Apply(Repository.ModelBytes("paper-crnngan.onnx"), 1f, 1f));
        var zero = Assert.Throws<InvalidDataException>(() => SamplingDefaults.Apply(Repository.ModelBytes("crnngan.onnx"), null, 0f));

        Assert.True(written.ExitCode == 0, written.Error);
        using var session = GeneratorSession.Open(output, new GeneratorSessionOptions(ExecutionProvider.Cpu));
        Assert.Equal((0.9f, 1.1f), (session.Metadata.Tones().DefaultTemperature, session.Metadata.Tones().LengthTemperature));
        Assert.Contains("tone family", paper.Message, StringComparison.Ordinal);
        Assert.Contains("length temperature", zero.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
