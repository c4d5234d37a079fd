using System.Diagnostics;
using System.Security.Cryptography;
using CrnnGan.Inference.Music;
using CrnnGan.TestSupport;
using CrnnGan.Training.Training;

namespace CrnnGan.Training.Tests.Cli;

/// <summary>crnngan-train train, run as a real process on synthesized MIDI files.</summary>
public sealed class TrainCommandTests : IDisposable
{
    private static readonly string[] Tiny =
    [
        "--hidden",
        "12",
        "--sequence-length",
        "8",
        "--batch-size",
        "4",
        "--pretraining-epochs",
        "1",
        "--seed",
        "3",
        "--sample-every",
        "2",
        "--device",
        "cpu",
    ];

    private readonly TemporaryFolder _folder = new();

    public TrainCommandTests()
    {
        foreach (var song in SyntheticSongs.Make(16, tones: 24))
            MidiWriter.WriteFile(song, _folder.File(Path.Combine("midi", song.Name)));
    }

    private string Data => Path.Combine(_folder.Path, "midi");

    private string Out(string name) => Path.Combine(_folder.Path, name);

    /// <summary><see cref="Tiny"/> with one flag's value replaced.</summary>
    private static string[] TinyWith(string flag, string value) => [.. Tiny.Select((a, i) => i > 0 && Tiny[i - 1] == flag ? value : a)];

    private static CommandResult Train(params string[] arguments) => CommandLine.Run("crnngan-train", ["train", .. arguments]);

    private static IReadOnlyList<string> Losses(string run) =>
        [.. new TrainingLog(Path.Combine(run, TrainingLog.FileName)).Read().Select(r => $"{r.Epoch} {r.Training} {r.Validation}")];

    [Fact]
    public void A_run_writes_a_log_line_and_checkpoint_per_epoch_and_samples_as_midi()
    {
        var result = Train(["--data", Data, "--out", Out("run"), "--epochs", "2", "--keep-checkpoint-every", "1", .. Tiny]);

        Assert.True(result.ExitCode == 0, result.Error);
        var log = new TrainingLog(Path.Combine(Out("run"), TrainingLog.FileName)).Read();
        Assert.Equal(["pretraining", "adversarial"], log.Select(r => r.Phase));
        Assert.All(log, r => Assert.Equal(13, r.Statistics.Count));
        Assert.All(log, r => Assert.True(r.PeakMemoryMegabytes > 0));
        Assert.Equal(2, Checkpoint.ReadInfo(Path.Combine(Out("run"), Checkpoint.FileName)).EpochsDone);
        Assert.Equal([1, 2], [.. Directory.GetFiles(Path.Combine(Out("run"), "checkpoints")).Order().Select(c => Checkpoint.ReadInfo(c).EpochsDone)]);
        var samples = Directory.GetFiles(Path.Combine(Out("run"), "samples", "epoch-0002"), "*.mid");
        Assert.Equal(4, samples.Length);
        Assert.All(samples, s => MidiReader.Read(s));
    }

    [Fact]
    public void Killing_a_run_and_resuming_it_gives_the_same_losses_as_an_uninterrupted_run()
    {
        var uninterrupted = Train(["--data", Data, "--out", Out("whole"), "--epochs", "5", .. Tiny]);
        Assert.True(uninterrupted.ExitCode == 0, uninterrupted.Error);

        // Kill the second run as soon as two epochs are logged, wherever it is then.
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (
            var argument in (string[])
                [
                    Path.Combine(AppContext.BaseDirectory, "crnngan-train.dll"),
                    "train",
                    "--data",
                    Data,
                    "--out",
                    Out("killed"),
                    "--epochs",
                    "5",
                    .. Tiny,
                ]
        )
            start.ArgumentList.Add(argument);
        using (var process = Process.Start(start)!)
        {
            var log = Path.Combine(Out("killed"), TrainingLog.FileName);
            var clock = Stopwatch.StartNew();
            while (!process.HasExited && (!File.Exists(log) || File.ReadAllLines(log).Length < 2) && clock.Elapsed < TimeSpan.FromMinutes(2))
                Thread.Sleep(5);
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        var resumed = Train(["--data", Data, "--out", Out("killed"), "--epochs", "5", "--resume", .. Tiny]);

        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Equal(Losses(Out("whole")), Losses(Out("killed")));
    }

    [Fact]
    public void An_empty_data_folder_is_refused()
    {
        Directory.CreateDirectory(Out("empty"));

        var result = Train(["--data", Out("empty"), "--out", Out("run"), .. Tiny]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("holds no MIDI files", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Out("run"), Checkpoint.FileName)));
    }

    [Theory]
    [InlineData("""{ "model": { "pitch_divisor": 12 } }""", "pitch_divisor must be a power of two from 1 to 128, not 12")]
    [InlineData("""{ "model": { "discriminator_input_dropout": 1 } }""", "discriminator_input_dropout must be in [0, 1), not 1")]
    [InlineData(
        """{ "model": { "family": "tones", "pitch_given_time": 8 } }""",
        "pitch_given_time is 0 (none) or more, for the tone family with a length head that reads the time, not 8"
    )]
    public void A_settings_file_with_an_impossible_model_setting_is_refused(string json, string message)
    {
        var settings = _folder.Write("settings.json", System.Text.Encoding.UTF8.GetBytes(json));

        var result = Train(["--data", Data, "--out", Out("run"), "--settings", settings, .. Tiny]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Out("run"), Checkpoint.FileName)));
    }

    [Fact]
    public void A_folder_without_usable_midi_is_refused()
    {
        _folder.Write("broken/a.mid", []);
        _folder.Write("broken/b.mid", "not music"u8.ToArray());

        var result = Train(["--data", Out("broken"), "--out", Out("run"), .. Tiny]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("No usable MIDI file", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unwritable_output_folder_is_refused()
    {
        var file = _folder.Write("a-file", []);

        var result = Train(["--data", Data, "--out", Path.Combine(file, "run"), .. Tiny]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Cannot write to the output folder", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_existing_run_is_never_overwritten_and_resumes_only_with_its_own_model()
    {
        Assert.Equal(0, Train(["--data", Data, "--out", Out("run"), "--epochs", "1", .. Tiny]).ExitCode);
        var checkpoint = Path.Combine(Out("run"), Checkpoint.FileName);
        var before = SHA256.HashData(File.ReadAllBytes(checkpoint));

        var again = Train(["--data", Data, "--out", Out("run"), "--epochs", "1", .. Tiny]);
        var otherModel = Train(["--data", Data, "--out", Out("run"), "--epochs", "2", "--resume", .. TinyWith("--hidden", "20")]);

        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already holds a training run", again.Error, StringComparison.Ordinal);
        Assert.Equal(1, otherModel.ExitCode);
        Assert.Contains("hidden_size: 12 → 20", otherModel.Error, StringComparison.Ordinal);
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(checkpoint)));
    }

    [Fact]
    public void A_corrupt_checkpoint_is_refused_and_left_as_it_is()
    {
        var checkpoint = _folder.Write(Path.Combine("run", Checkpoint.FileName), "definitely not a zip file"u8.ToArray());

        var result = Train(["--data", Data, "--out", Out("run"), "--resume", .. Tiny]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("corrupt or incomplete", result.Error, StringComparison.Ordinal);
        Assert.Equal("definitely not a zip file", File.ReadAllText(checkpoint));
    }

    [Fact]
    public void Resuming_without_a_checkpoint_or_on_cuda_without_cuda_is_refused()
    {
        var nothing = Train(["--data", Data, "--out", Out("nothing"), "--resume", .. Tiny]);
        var cuda = Train(["--data", Data, "--out", Out("cuda"), .. TinyWith("--device", "cuda")]);

        Assert.Equal(1, nothing.ExitCode);
        Assert.Contains("nothing to resume", nothing.Error, StringComparison.Ordinal);
        Assert.Equal(1, cuda.ExitCode);
        Assert.Contains("CUDA is not available", cuda.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
