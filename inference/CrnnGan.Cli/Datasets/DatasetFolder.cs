using System.Text.Json;
using CrnnGan.Inference.Datasets;
using CrnnGan.Inference.Storage;

namespace CrnnGan.Cli.Datasets;

/// <summary>
/// A folder of generated songs with a manifest (manifest.jsonl, one line per finished file). Files are written
/// to a temporary name and renamed, then listed; an interrupted run resumes by skipping what the manifest
/// lists and the folder holds. A folder made with other settings is refused rather than mixed.
/// </summary>
public sealed class DatasetFolder
{
    public const string ManifestName = "manifest.jsonl";

    public static JsonSerializerOptions Json => DatasetSong.Json;

    private readonly Lock _manifestLock = new();
    private readonly Dictionary<int, ManifestEntry> _done;

    private DatasetFolder(string path, Dictionary<int, ManifestEntry> done)
    {
        Path = path;
        _done = done;
    }

    public string Path { get; }

    public string ManifestPath => System.IO.Path.Combine(Path, ManifestName);

    public int Done => _done.Count;

    /// <exception cref="IOException">The folder cannot be created or written.</exception>
    /// <exception cref="ArgumentException">The folder holds a dataset made with other settings.</exception>
    public static DatasetFolder Open(string path, DatasetSettings settings)
    {
        var full = System.IO.Path.GetFullPath(path);
        try
        {
            Directory.CreateDirectory(full);
            var probe = System.IO.Path.Combine(full, $".write-test-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot write to the output folder {full}: {e.Message}", e);
        }

        var manifest = System.IO.Path.Combine(full, ManifestName);
        var done = new Dictionary<int, ManifestEntry>();
        if (File.Exists(manifest))
        {
            // A line cut short by a crash is dropped: its file is simply made again.
            foreach (var line in File.ReadLines(manifest))
            {
                ManifestEntry? entry;
                try
                {
                    entry = JsonSerializer.Deserialize<ManifestEntry>(line, Json);
                }
                catch (JsonException)
                {
                    continue;
                }
                if (entry is null)
                    continue;
                if (entry.Settings != settings)
                    throw new ArgumentException(
                        $"{full} holds a dataset made with other settings ({entry.Settings}); choose another output folder, or the same settings "
                            + $"to resume it."
                    );
                if (File.Exists(System.IO.Path.Combine(full, entry.File)))
                    done[entry.Index] = entry;
            }
            AtomicFile.Write(
                manifest,
                temporary => File.WriteAllLines(temporary, done.Values.OrderBy(e => e.Index).Select(e => JsonSerializer.Serialize(e, Json)))
            );
        }
        return new DatasetFolder(full, done);
    }

    public bool IsDone(int index) => _done.ContainsKey(index);

    /// <summary>Writes a file atomically, then lists it in the manifest.</summary>
    public void Add(ManifestEntry entry, byte[] contents)
    {
        AtomicFile.WriteAllBytes(System.IO.Path.Combine(Path, entry.File), contents);
        lock (_manifestLock)
        {
            File.AppendAllText(ManifestPath, JsonSerializer.Serialize(entry, Json) + "\n");
            _done[entry.Index] = entry;
        }
    }

    public IReadOnlyList<ManifestEntry> Entries
    {
        get
        {
            lock (_manifestLock)
                return [.. _done.Values.OrderBy(e => e.Index)];
        }
    }
}
