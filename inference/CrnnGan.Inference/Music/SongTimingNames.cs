namespace CrnnGan.Inference.Music;

/// <summary>
/// The names by which a request asks for a song's timing, the same in the CLI, over HTTP and in a dataset's manifest:
/// metered, free, or random (null: the model draws it, as its songs do).
/// </summary>
public static class SongTimingNames
{
    /// <summary>The name that leaves each song's timing to the model.</summary>
    public const string Random = "random";

    /// <summary>Every name, random first.</summary>
    public static IReadOnlyList<string> All { get; } = [Random, .. Enum.GetValues<SongTiming>().Select(Name)];

    /// <summary>A timing's name: metered or free.</summary>
    public static string Name(SongTiming timing) => timing.ToString().ToLowerInvariant();

    /// <summary>A timing by its name, in any case; false for a text that names none.</summary>
    public static bool TryParse(string? text, out SongTiming? timing)
    {
        timing = null;
        if (string.Equals(text, Random, StringComparison.OrdinalIgnoreCase))
            return true;
        foreach (var value in Enum.GetValues<SongTiming>())
            if (string.Equals(text, Name(value), StringComparison.OrdinalIgnoreCase))
            {
                timing = value;
                return true;
            }
        return false;
    }
}
