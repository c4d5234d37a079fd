namespace CrnnGan.TestSupport;

/// <summary>
/// The project's training corpus, kept outside the repository in ../shared/corpus (or where CRNNGAN_CORPUS
/// points). Tests that need it skip, saying why, when it is absent.
/// </summary>
public static class SharedCorpus
{
    public static string? Folder { get; } = Find();

    public static string SkipReason =>
        "The shared corpus is absent: neither CRNNGAN_CORPUS nor ../shared/corpus beside the repository holds classical/ and the hold-out lists.";

    private static string? Find()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("CRNNGAN_CORPUS");
        if (!string.IsNullOrEmpty(fromEnvironment))
            return IsCorpus(fromEnvironment) ? Path.GetFullPath(fromEnvironment) : null;
        if (Repository.RootOrNull is not { } root)
            return null;
        var candidate = Path.Combine(root, "..", "shared", "corpus");
        return IsCorpus(candidate) ? Path.GetFullPath(candidate) : null;
    }

    private static bool IsCorpus(string folder) =>
        Directory.Exists(Path.Combine(folder, "classical"))
        && File.Exists(Path.Combine(folder, "validation.txt"))
        && File.Exists(Path.Combine(folder, "test.txt"));
}
