using System.Text.Json;
using CrnnGan.Inference.Tests.Data;
using CrnnGan.TestSupport;

namespace CrnnGan.Inference.Tests.Cli;

public sealed class CorpusCommandTests
{
    [Fact]
    public void Json_report_counts_songs_names_unusable_files_and_gives_percentiles_and_statistics()
    {
        using var corpus = new CorpusFolder(goodFiles: 20);

        var result = CommandLine.Run("crnngan", "corpus", corpus.Midi, "--json", "--window", "8", "--seed", "3");

        Assert.True(result.ExitCode == 0, result.Error);
        using var report = JsonDocument.Parse(result.Output);
        var root = report.RootElement;
        Assert.Equal(27, root.GetProperty("files_found").GetInt32());
        Assert.Equal(21, root.GetProperty("usable").GetInt32());
        Assert.Equal(CorpusFolder.BrokenFiles, root.GetProperty("unusable").GetArrayLength());
        Assert.All(root.GetProperty("unusable").EnumerateArray(), u => Assert.NotEmpty(u.GetProperty("reason").GetString()!));
        Assert.Equal(21, root.GetProperty("splits").EnumerateArray().Sum(s => s.GetProperty("songs").GetInt32()));
        var pitch = root.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "pitch");
        Assert.Equal(7, pitch.GetProperty("percentiles").GetArrayLength());
        var training = root.GetProperty("statistics")[0];
        Assert.Equal("training", training.GetProperty("split").GetString());
        Assert.Contains(training.GetProperty("summary").EnumerateArray(), s => s.GetProperty("name").GetString() == "repetitions_3");
    }

    [Fact]
    public void The_same_seed_gives_the_same_report()
    {
        using var corpus = new CorpusFolder(goodFiles: 12);

        var first = CommandLine.Run("crnngan", "corpus", corpus.Midi, "--json", "--seed", "5", "--window", "6");
        var second = CommandLine.Run("crnngan", "corpus", corpus.Midi, "--json", "--seed", "5", "--window", "6");

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(first.Output, second.Output);
    }

    [Fact]
    public void Tables_for_a_person_show_the_unusable_files_and_the_statistics()
    {
        using var corpus = new CorpusFolder(goodFiles: 8);

        var result = CommandLine.Run("crnngan", "corpus", corpus.Midi, "--tones-per-step", "3");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("Unusable files", result.Output, StringComparison.Ordinal);
        Assert.Contains("format2.mid", result.Output, StringComparison.Ordinal);
        Assert.Contains("scale_consistency", result.Output, StringComparison.Ordinal);
        Assert.Contains("3 tone(s) per step", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_without_usable_midi_is_an_error_with_a_reason()
    {
        using var folder = new TemporaryFolder();
        folder.Write("broken.mid", []);

        var result = CommandLine.Run("crnngan", "corpus", folder.Path);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("No usable MIDI file", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/nonexistent/folder")]
    public void A_missing_folder_is_refused(string path)
    {
        var result = CommandLine.Run("crnngan", "corpus", path);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("/nonexistent/folder", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--tones-per-step", "0", "--tones-per-step must be between 1")]
    [InlineData("--window", "0", "--window must be at least 1")]
    [InlineData("--validation-percent", "90", "at most 100%")]
    public void Bad_settings_are_refused_with_the_option_named(string option, string value, string message)
    {
        using var corpus = new CorpusFolder(goodFiles: 2);

        var result = CommandLine.Run("crnngan", "corpus", corpus.Midi, option, value, "--test-percent", "20");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }
}
