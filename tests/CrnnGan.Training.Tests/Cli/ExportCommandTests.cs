using CrnnGan.Inference.Music;
using CrnnGan.TestSupport;

namespace CrnnGan.Training.Tests.Cli;

/// <summary>crnngan-train export, run as a real process.</summary>
public sealed class ExportCommandTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    [Fact]
    public void Export_reports_parity_and_writes_the_model_only_when_it_holds_creating_its_folder()
    {
        foreach (var song in SyntheticSongs.Make(8, tones: 24))
            MidiWriter.WriteFile(song, _folder.File(Path.Combine("midi", song.Name)));
        var run = Path.Combine(_folder.Path, "run");
        var trained = CommandLine.Run(
            "crnngan-train",
            "train",
            "--data",
            Path.Combine(_folder.Path, "midi"),
            "--out",
            run,
            "--hidden",
            "8",
            "--sequence-length",
            "8",
            "--batch-size",
            "4",
            "--epochs",
            "2",
            "--pretraining-epochs",
            "1",
            "--device",
            "cpu"
        );
        Assert.True(trained.ExitCode == 0, trained.Error);
        var model = Path.Combine(_folder.Path, "models", "model.onnx");

        var exported = CommandLine.Run("crnngan-train", "export", "--checkpoint", Path.Combine(run, "checkpoint.zip"), "--out", model);
        var missing = CommandLine.Run(
            "crnngan-train",
            "export",
            "--checkpoint",
            Path.Combine(run, "nothing.zip"),
            "--out",
            Path.Combine(_folder.Path, "other.onnx")
        );

        Assert.True(exported.ExitCode == 0, exported.Error);
        Assert.Contains("parity batch 1, 256 steps", exported.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(model));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no checkpoint", missing.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder.Path, "other.onnx")));
        var settings = Path.Combine(run, "settings.json");
        File.WriteAllText(settings, "{}");
        var neither = CommandLine.Run("crnngan-train", "export", "--out", Path.Combine(_folder.Path, "other.onnx"));
        var noSettings = CommandLine.Run("crnngan-train", "export", "--model", model, "--out", Path.Combine(_folder.Path, "other.onnx"));
        var other = Path.Combine(_folder.Path, "other.onnx");
        var paper = CommandLine.Run("crnngan-train", "export", "--model", model, "--settings", settings, "--out", other);
        Assert.Contains("Name one of --checkpoint", neither.Error, StringComparison.Ordinal);
        Assert.Contains("--model needs --settings", noSettings.Error, StringComparison.Ordinal);
        Assert.Equal(1, paper.ExitCode);
        Assert.Contains("Only a tone model's weights can be imported", paper.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder.Path, "other.onnx")));
    }

    public void Dispose() => _folder.Dispose();
}
