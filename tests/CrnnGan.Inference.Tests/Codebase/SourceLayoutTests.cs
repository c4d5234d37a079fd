using CrnnGan.TestSupport;

namespace CrnnGan.Inference.Tests.Codebase;

public sealed class SourceLayoutTests
{
    private const int MaxLineLength = 150;

    [Fact]
    public void Every_source_line_fits_in_150_characters()
    {
        string[] folders = ["inference", "training", "functions", "tests", "samples"];
        var sources = folders
            .SelectMany(f => Directory.EnumerateFiles(Path.Combine(Repository.Root, f), "*.cs", SearchOption.AllDirectories))
            .Where(p => !p.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .ToList();
        var tooLong = sources
            .SelectMany(p => File.ReadLines(p).Select((line, i) => (Path.GetRelativePath(Repository.Root, p), Line: i + 1, line.Length)))
            .Where(l => l.Length > MaxLineLength)
            .ToList();

        Assert.True(sources.Count > 100, $"only {sources.Count} source files found under {Repository.Root}");
        Assert.True(tooLong.Count == 0, $"lines over {MaxLineLength} characters: {string.Join(", ", tooLong)}");
    }
}
