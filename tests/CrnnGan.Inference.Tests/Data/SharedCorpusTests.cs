using System.Diagnostics;
using CrnnGan.Inference.Data;
using CrnnGan.TestSupport;

namespace CrnnGan.Inference.Tests.Data;

/// <summary>The real classical corpus, when it is beside the repository.</summary>
public sealed class SharedCorpusTests(ITestOutputHelper output)
{
    [Fact]
    public void At_least_99_percent_of_the_classical_corpus_loads_with_the_reference_hold_out_lists()
    {
        Assert.SkipWhen(SharedCorpus.Folder is null, SharedCorpus.SkipReason);
        var folder = SharedCorpus.Folder!;

        var clock = Stopwatch.StartNew();
        var corpus = CorpusLoader.Load(Path.Combine(folder, "classical"), CorpusSplit.FindHoldOutLists(Path.Combine(folder, "classical"))!);
        output.WriteLine($"{corpus.SongCount} of {corpus.FilesFound} files in {clock.Elapsed.TotalSeconds:0.0} s; unusable: {corpus.Unusable.Count}");

        Assert.True(corpus.SongCount >= 0.99 * corpus.FilesFound, $"{corpus.SongCount} of {corpus.FilesFound}");
        Assert.All(corpus.Unusable, u => Assert.False(string.IsNullOrWhiteSpace(u.Reason)));
        Assert.InRange(corpus.Validation.Count, 250, 277);
        Assert.InRange(corpus.Test.Count, 120, 139);
        Assert.Empty(corpus.MissingFromFolder);
    }
}
