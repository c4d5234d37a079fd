using System.Security.Cryptography;
using System.Text.Json;
using CrnnGan.Inference.Music;
using CrnnGan.TestSupport;

namespace CrnnGan.Inference.Tests.Cli;

/// <summary>crnngan generate, run as a real process on the fixture models.</summary>
public sealed class GenerateCommandTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    private string Out(string name) => Path.Combine(_folder.Path, name);

    private static CommandResult Generate(params string[] arguments) =>
        CommandLine.Run("crnngan", ["generate", "--model", FixtureModels.OneTonePerStep, .. arguments]);

    private static Dictionary<string, string> Hashes(string folder) =>
        Directory.GetFiles(folder, "song-*").ToDictionary(f => Path.GetFileName(f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    [Fact]
    public void Writes_playable_midi_files_and_a_manifest_line_for_each()
    {
        var result = Generate("--count", "5", "--steps", "40", "--seed", "8", "--out", Out("set"), "--tempo", "96", "--program", "40");

        Assert.True(result.ExitCode == 0, result.Error);
        var manifest = File.ReadAllLines(Path.Combine(Out("set"), "manifest.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(Enumerable.Range(0, 5), manifest.Select(m => m.GetProperty("index").GetInt32()).Order());
        foreach (var entry in manifest)
        {
            var song = MidiReader.Read(Path.Combine(Out("set"), entry.GetProperty("file").GetString()!));
            Assert.Equal(entry.GetProperty("notes").GetInt32(), song.Tones.Count);
            Assert.All(song.Tones, t => Assert.Equal(40, t.Program));
            Assert.Equal(96, song.Tempo.Changes[0].Bpm, 3);
            Assert.Equal(8UL + (ulong)entry.GetProperty("index").GetInt32(), entry.GetProperty("seed").GetUInt64());
            Assert.True(entry.GetProperty("statistics").TryGetProperty("scale_consistency", out _));
        }
        Assert.Contains("5 songs written", result.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Out("set"), "*.tmp"));
    }

    [Fact]
    public void An_interrupted_run_resumes_without_redoing_finished_files_and_ends_with_the_same_bytes()
    {
        var whole = Generate("--count", "12", "--steps", "30", "--batch-size", "4", "--out", Out("whole"));
        Assert.True(whole.ExitCode == 0, whole.Error);

        // An interrupted run: its first seven songs finished, one more lost half-written.
        var part = Generate("--count", "7", "--steps", "30", "--batch-size", "4", "--out", Out("resumed"));
        Assert.True(part.ExitCode == 0, part.Error);
        File.AppendAllText(Path.Combine(Out("resumed"), "manifest.jsonl"), "{\"file\":\"song-0000");
        var before = File.GetLastWriteTimeUtc(Path.Combine(Out("resumed"), "song-000003.mid"));
        var resumed = Generate("--count", "12", "--steps", "30", "--batch-size", "4", "--out", Out("resumed"));

        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Contains("5 songs written", resumed.Output, StringComparison.Ordinal);
        Assert.Contains("7 were already there", resumed.Output, StringComparison.Ordinal);
        Assert.Equal(before, File.GetLastWriteTimeUtc(Path.Combine(Out("resumed"), "song-000003.mid")));
        Assert.Equal(Hashes(Out("whole")), Hashes(Out("resumed")));
        Assert.Equal(12, File.ReadAllLines(Path.Combine(Out("resumed"), "manifest.jsonl")).Length);
    }

    [Fact]
    public void Parallel_batches_give_the_same_files_as_one_at_a_time()
    {
        Assert.Equal(0, Generate("--count", "9", "--steps", "20", "--batch-size", "2", "--out", Out("serial")).ExitCode);
        Assert.Equal(0, Generate("--count", "9", "--steps", "20", "--batch-size", "2", "--parallel", "4", "--out", Out("parallel")).ExitCode);

        Assert.Equal(Hashes(Out("serial")), Hashes(Out("parallel")));
    }

    [Fact]
    public void Json_output_gives_notes_in_quarters_and_seconds_with_statistics()
    {
        var result = Generate("--format", "json", "--steps", "20", "--tempo", "120", "--out", Out("json"));

        Assert.True(result.ExitCode == 0, result.Error);
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Out("json"), "song-000000.json")));
        var notes = document.RootElement.GetProperty("notes");
        Assert.True(notes.GetArrayLength() > 0);
        var note = notes[0];
        Assert.Equal(note.GetProperty("onset_quarters").GetDouble() / 2, note.GetProperty("onset_seconds").GetDouble(), 9);
        Assert.Equal(13, document.RootElement.GetProperty("statistics").EnumerateObject().Count());
    }

    [Fact]
    public void A_primer_file_is_continued()
    {
        var primer = _folder.Write("primer.mid", MidiBytes.TwoVoicePiece());

        var result = Generate("--primer", primer, "--steps", "16", "--out", Out("primed"));

        Assert.True(result.ExitCode == 0, result.Error);
        var tones = MidiReader.Read(Path.Combine(Out("primed"), "song-000000.mid")).Tones;
        Assert.Equal(MidiReader.Read(primer).Tones.Select(t => (t.Onset, t.Pitch)), tones.Take(8).Select(t => (t.Onset, t.Pitch)));
    }

    [Theory]
    [InlineData("--count", "-3", "count must be between 1")]
    [InlineData("--steps", "100000000", "steps must be between 1")]
    [InlineData("--program", "128", "program must be")]
    [InlineData("--noise-scale", "-1", "noise scale must be")]
    [InlineData("--parallel", "0", "--parallel must be")]
    public void Bad_settings_are_refused_and_write_nothing(string option, string value, string message)
    {
        var result = Generate(option, value, "--out", Out("bad"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Out("bad")));
    }

    [Fact]
    public void A_missing_or_corrupt_model_is_refused()
    {
        var corrupt = _folder.Write("corrupt.onnx", "no model here"u8.ToArray());

        var missing = CommandLine.Run("crnngan", "generate", "--model", Out("none.onnx"), "--out", Out("a"));
        var broken = CommandLine.Run("crnngan", "generate", "--model", corrupt, "--out", Out("b"), "--provider", "cpu");

        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no model at", missing.Error, StringComparison.Ordinal);
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("not a valid ONNX model", broken.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Out("a")) || Directory.Exists(Out("b")));
    }

    [Fact]
    public void An_unwritable_output_folder_is_refused()
    {
        var file = _folder.Write("a-file", []);

        var result = Generate("--out", Path.Combine(file, "songs"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Cannot write to the output folder", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_made_with_other_settings_is_not_mixed()
    {
        Assert.Equal(0, Generate("--steps", "10", "--out", Out("set")).ExitCode);

        var result = Generate("--steps", "11", "--out", Out("set"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("other settings", result.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
