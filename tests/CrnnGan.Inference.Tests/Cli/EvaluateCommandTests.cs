using System.Text.Json;
using CrnnGan.Inference.Music;
using CrnnGan.TestSupport;

namespace CrnnGan.Inference.Tests.Cli;

/// <summary>crnngan evaluate, run as a real process on fixture models and a synthesized corpus.</summary>
public sealed class EvaluateCommandTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public EvaluateCommandTests()
    {
        foreach (var song in SyntheticSongs.Make(12, tones: 64))
            MidiWriter.WriteFile(song, _folder.File(Path.Combine("corpus", "midi", song.Name)));
        _folder.Write("corpus/validation.txt", "midi/synthetic/000.mid\n"u8.ToArray());
        _folder.Write("corpus/test.txt", "midi/synthetic/001.mid\nmidi/synthetic/002.mid\nmidi/synthetic/003.mid\n"u8.ToArray());
    }

    private string Corpus => Path.Combine(_folder.Path, "corpus", "midi");

    [Fact]
    public void The_report_has_the_table_the_findings_and_pictures_and_regenerates_the_same_numbers()
    {
        var log = _folder.Write(
            "log.jsonl",
            System.Text.Encoding.UTF8.GetBytes(
                string.Join(
                    '\n',
                    Enumerable
                        .Range(1, 3)
                        .Select(e =>
                            JsonSerializer.Serialize(
                                new
                                {
                                    epoch = e,
                                    statistics = new Dictionary<string, double>
                                    {
                                        ["polyphony"] = 0.1 * e,
                                        ["scale_consistency"] = 0.9,
                                        ["repetitions_3"] = e,
                                        ["tone_span"] = 10 + e,
                                        ["unique_tones"] = 5 + e,
                                        ["intensity_span"] = 20,
                                    },
                                }
                            )
                        )
                )
            )
        );
        string[] arguments =
        [
            "evaluate",
            "--model",
            $"GAN={FixtureModels.OneTonePerStep}",
            "--model",
            $"baseline={FixtureModels.ThreeTonesPerStep}",
            "--model",
            $"tones={FixtureModels.Tones}",
            "--data",
            Corpus,
            "--log",
            $"GAN={log}",
            "--samples",
            "6",
            "--steps",
            "40",
            "--seed",
            "4",
        ];

        var first = CommandLine.Run("crnngan", [.. arguments, "--out", Path.Combine(_folder.Path, "a")]);
        var second = CommandLine.Run("crnngan", [.. arguments, "--out", Path.Combine(_folder.Path, "b")]);

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.True(second.ExitCode == 0, second.Error);
        var report = File.ReadAllText(Path.Combine(_folder.Path, "a", "report.md"));
        Assert.Contains("| statistic | GAN (6) | baseline (6) | tones (6) | real music (3) |", report, StringComparison.Ordinal);
        Assert.Contains("| scale_consistency |", report, StringComparison.Ordinal);
        Assert.Contains("within 10% of real music", report, StringComparison.Ordinal);
        Assert.Contains("GAN has more unique tones than baseline", report, StringComparison.Ordinal);
        Assert.Contains(
            "| source | pitch_class_in_key | time_between_onsets | tone_length | onset_in_quarter | onset_in_bar | melodic_interval |",
            report,
            StringComparison.Ordinal
        );
        Assert.Contains("| real music | 0 | 0 | 0 | 0 | 0 | 0 |", report, StringComparison.Ordinal);
        Assert.Contains("| scale_consistency within 0.03 of real music's", report, StringComparison.Ordinal);
        Assert.Contains("| late tone_span within 20% of real music's", report, StringComparison.Ordinal);
        Assert.Contains("| source | classifier accuracy | Fréchet distance |", report, StringComparison.Ordinal);
        Assert.Contains("| GAN | n/a (too few pieces) | n/a (too few pieces) |", report, StringComparison.Ordinal);
        Assert.Contains("| source | furthest numbers |", report, StringComparison.Ordinal);
        Assert.Contains("| GAN, tones 400–440 |", report, StringComparison.Ordinal);
        Assert.Contains("| source | mean pitch (MIDI) | distance to real music's pitches |", report, StringComparison.Ordinal);
        Assert.Contains("| real music |", report, StringComparison.Ordinal);
        foreach (
            var picture in new[] { "statistics-by-epoch.png", "piano-rolls.png", "histograms.png", "meter-and-melody.png", "two-sample-test.png" }
        )
        {
            Assert.Contains($"({picture})", report, StringComparison.Ordinal);
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(Path.Combine(_folder.Path, "a", picture))[..4]);
        }
        // The JSON holds each distance table's rows as the report does, the floor's real music among them.
        var numbers = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder.Path, "a", "evaluation.json"))).RootElement;
        string[] rows = ["GAN", "baseline", "tones", "real music (validation)", "real music"];
        Assert.Equal(rows, numbers.GetProperty("distributions").EnumerateObject().Select(p => p.Name));
        Assert.Equal(rows, numbers.GetProperty("meter").EnumerateObject().Select(p => p.Name));
        Assert.All(
            numbers.GetProperty("distributions").GetProperty("real music (validation)").EnumerateObject(),
            d => Assert.InRange(d.Value.GetDouble(), 0, 1)
        );
        Assert.Equal(
            JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder.Path, "a", "evaluation.json"))).RootElement.GetProperty("sources").GetRawText(),
            JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder.Path, "b", "evaluation.json"))).RootElement.GetProperty("sources").GetRawText()
        );
    }

    [Fact]
    public void Validation_songs_stand_for_real_music_when_asked_so_that_the_test_songs_stay_unseen()
    {
        var result = CommandLine.Run(
            "crnngan",
            [
                "evaluate",
                "--model",
                $"GAN={FixtureModels.OneTonePerStep}",
                "--data",
                Corpus,
                "--split",
                "validation",
                "--samples",
                "2",
                "--steps",
                "20",
                "--out",
                Path.Combine(_folder.Path, "v"),
            ]
        );

        Assert.True(result.ExitCode == 0, result.Error);
        var report = File.ReadAllText(Path.Combine(_folder.Path, "v", "report.md"));
        Assert.Contains("| statistic | GAN (2) | real music (1) |", report, StringComparison.Ordinal);
        Assert.Contains("usable validation songs", report, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nothing=", "names no file")]
    [InlineData("gone=/no/such/model.onnx", "There is no file")]
    public void A_model_argument_that_names_no_file_is_refused(string argument, string message)
    {
        var result = CommandLine.Run("crnngan", ["evaluate", "--model", argument, "--data", Corpus, "--out", Path.Combine(_folder.Path, "x")]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
