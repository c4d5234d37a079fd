using CrnnGan.Inference.Randomness;

namespace CrnnGan.Inference.Data;

/// <summary>
/// Loads every MIDI file (.mid, .midi, .kar, .rmi) below a folder, in parallel. A file that cannot be used
/// (empty, truncated, corrupt, not MIDI, an unsupported format, or without any tone) is reported with its
/// reason and never stops the load. Results do not depend on the degree of parallelism.
/// </summary>
public static class CorpusLoader
{
    private static readonly string[] MidiExtensions = [".mid", ".midi", ".kar", ".rmi"];

    /// <param name="progress">Receives (files processed, files in all) as the load goes.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">A hold-out list cannot be read.</exception>
    public static Corpus Load(
        string folder,
        CorpusSplit split,
        MidiReadOptions? options = null,
        IProgress<(int Done, int Total)>? progress = null,
        int maxDegreeOfParallelism = -1,
        CancellationToken cancellationToken = default
    )
    {
        var root = Path.GetFullPath(folder);
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"The data folder {root} does not exist.");

        var files = FindMidiFiles(root);
        var results = new (Song? Song, string? Reason)[files.Length];
        var done = 0;
        Parallel.For(
            0,
            files.Length,
            new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = cancellationToken },
            i =>
            {
                results[i] = ReadOne(files[i], RelativeName(root, files[i]), options);
                progress?.Report((Interlocked.Increment(ref done), files.Length));
            }
        );

        var songs = new List<(string Path, Song Song)>();
        var unusable = new List<UnusableFile>();
        for (var i = 0; i < files.Length; i++)
        {
            if (results[i].Song is { } song)
                songs.Add((files[i], song));
            else
                unusable.Add(new UnusableFile(files[i], results[i].Reason!));
        }

        return split switch
        {
            CorpusSplit.HoldOutLists lists => SplitByLists(root, songs, unusable, lists, files),
            CorpusSplit.Percentages percentages => SplitByPercentages(root, songs, unusable, percentages.Validate(), files.Length),
            _ => throw new ArgumentOutOfRangeException(nameof(split), split, "Unknown kind of split."),
        };
    }

    private static (Song? Song, string? Reason) ReadOne(string path, string name, MidiReadOptions? options)
    {
        try
        {
            var song = MidiReader.Read(path, options) with { Name = name };
            return song.Tones.Count == 0 ? (null, "no tones (no notes outside the percussion channel)") : (song, null);
        }
        catch (MidiReadException e)
        {
            return (null, e.Message);
        }
    }

    private static string[] FindMidiFiles(string root) =>
        [
            .. Directory
                .EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
                .Where(f => MidiExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal),
        ];

    private static string RelativeName(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');

    private static Corpus SplitByLists(
        string root,
        List<(string Path, Song Song)> songs,
        List<UnusableFile> unusable,
        CorpusSplit.HoldOutLists lists,
        string[] files
    )
    {
        var validation = ReadList(lists.ValidationList);
        var test = ReadList(lists.TestList);
        var found = files.ToHashSet(StringComparer.Ordinal);
        var missing = validation.Concat(test).Where(p => !found.Contains(p)).Order(StringComparer.Ordinal).ToList();
        return new Corpus(
            root,
            [.. songs.Where(s => !validation.Contains(s.Path) && !test.Contains(s.Path)).Select(s => s.Song)],
            [.. songs.Where(s => validation.Contains(s.Path)).Select(s => s.Song)],
            [.. songs.Where(s => test.Contains(s.Path) && !validation.Contains(s.Path)).Select(s => s.Song)],
            unusable,
            missing,
            files.Length
        );
    }

    /// <summary>Full paths of a list's entries, resolved against the list's folder.</summary>
    private static HashSet<string> ReadList(string listPath)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(listPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"Cannot read the hold-out list {listPath}: {e.Message}", e);
        }
        var folder = Path.GetDirectoryName(Path.GetFullPath(listPath))!;
        return lines
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => Path.GetFullPath(Path.Combine(folder, l)))
            .ToHashSet(StringComparer.Ordinal);
    }

    private static Corpus SplitByPercentages(
        string root,
        List<(string Path, Song Song)> songs,
        List<UnusableFile> unusable,
        CorpusSplit.Percentages split,
        int filesFound
    )
    {
        var shuffled = songs.OrderBy(s => StableHash.Of(split.Seed, s.Song.Name)).ThenBy(s => s.Song.Name, StringComparer.Ordinal).ToList();
        var validationCount = (int)Math.Round(shuffled.Count * split.ValidationPercent / 100);
        var testCount = Math.Min(shuffled.Count - validationCount, (int)Math.Round(shuffled.Count * split.TestPercent / 100));

        IReadOnlyList<Song> Sorted(IEnumerable<(string Path, Song Song)> part) =>
            [.. part.Select(s => s.Song).OrderBy(s => s.Name, StringComparer.Ordinal)];

        return new Corpus(
            root,
            Sorted(shuffled.Skip(validationCount + testCount)),
            Sorted(shuffled.Take(validationCount)),
            Sorted(shuffled.Skip(validationCount).Take(testCount)),
            unusable,
            [],
            filesFound
        );
    }
}
