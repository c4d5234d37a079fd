namespace CrnnGan.TestSupport;

/// <summary>The repository the tests were built from: the folder above the test assembly that holds CrnnGanPipeline.sln.</summary>
public static class Repository
{
    public static string? RootOrNull { get; } = Find();

    public static string Root =>
        RootOrNull ?? throw new DirectoryNotFoundException("The repository root (CrnnGanPipeline.sln) is not above the test assembly.");

    /// <summary>A bundled model's path: models/<paramref name="file"/>.</summary>
    public static string Model(string file) => Path.Combine(Root, "models", file);

    /// <summary>A bundled model's bytes.</summary>
    public static byte[] ModelBytes(string file) => File.ReadAllBytes(Model(file));

    /// <summary>A test fixture's path in the repository: tests/fixtures/<paramref name="file"/>.</summary>
    public static string Fixture(string file) => Path.Combine(Root, "tests", "fixtures", file);

    private static string? Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "CrnnGanPipeline.sln")))
                return folder.FullName;
        }
        return null;
    }
}
