using System.Text.Json;
using CrnnGan.Inference.Storage;

namespace CrnnGan.Training.Training;

/// <summary>
/// The training log: one JSON line per epoch (training-log.jsonl), so that curves can be drawn while a run
/// goes on. A resumed run first drops the lines of epochs its checkpoint does not hold.
/// </summary>
public sealed class TrainingLog(string path)
{
    public const string FileName = "training-log.jsonl";

    public string Path { get; } = path;

    public void Append(EpochResult result) => File.AppendAllText(Path, JsonSerializer.Serialize(result, TrainingSettings.Compact) + "\n");

    public IReadOnlyList<EpochResult> Read() =>
        !File.Exists(Path)
            ? []
            : [.. File.ReadLines(Path).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<EpochResult>(l, TrainingSettings.Compact)!)];

    /// <summary>Keeps the lines of the first <paramref name="epochs"/> epochs, rewriting the file atomically.</summary>
    public void TruncateTo(int epochs)
    {
        if (!File.Exists(Path))
            return;
        var kept = Read().Where(r => r.Epoch <= epochs).Select(r => JsonSerializer.Serialize(r, TrainingSettings.Compact) + "\n");
        AtomicFile.WriteAllText(Path, string.Concat(kept));
    }
}
