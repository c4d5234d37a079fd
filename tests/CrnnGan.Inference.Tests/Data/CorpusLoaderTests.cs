using CrnnGan.Inference.Data;
using CrnnGan.TestSupport;

namespace CrnnGan.Inference.Tests.Data;

public sealed class CorpusLoaderTests
{
    private static readonly CorpusSplit.Percentages TenAndFive = new(10, 5, Seed: 7);

    [Fact]
    public void Loads_every_usable_file_and_names_each_unusable_one_with_its_reason()
    {
        using var corpus = new CorpusFolder(goodFiles: 20);

        var loaded = CorpusLoader.Load(corpus.Midi, TenAndFive);

        Assert.Equal(20 + 1 + CorpusFolder.BrokenFiles, loaded.FilesFound);
        Assert.Equal(21, loaded.SongCount);
        var reasons = loaded.Unusable.ToDictionary(u => Path.GetFileName(u.Path), u => u.Reason);
        Assert.Equal(CorpusFolder.BrokenFiles, reasons.Count);
        Assert.Contains("empty file", reasons["empty.mid"], StringComparison.Ordinal);
        Assert.Contains("no MThd header", reasons["text.mid"], StringComparison.Ordinal);
        Assert.Contains("corrupt or truncated", reasons["truncated.mid"], StringComparison.Ordinal);
        Assert.Contains("SMPTE", reasons["smpte.midi"], StringComparison.Ordinal);
        Assert.Contains("format 2", reasons["format2.mid"], StringComparison.Ordinal);
        Assert.Contains("no tones", reasons["drums-only.mid"], StringComparison.Ordinal);
        Assert.Contains(loaded.AllSongs, s => s.Name == "composer1/piece05.mid");
        Assert.Contains(loaded.AllSongs, s => s.Name == "rmid/wrapped.rmi");
    }

    [Fact]
    public void A_percentage_split_is_exact_in_size_seeded_and_disjoint()
    {
        using var corpus = new CorpusFolder(goodFiles: 39);

        var first = CorpusLoader.Load(corpus.Midi, new CorpusSplit.Percentages(20, 10, Seed: 1));
        var again = CorpusLoader.Load(corpus.Midi, new CorpusSplit.Percentages(20, 10, Seed: 1));
        var otherSeed = CorpusLoader.Load(corpus.Midi, new CorpusSplit.Percentages(20, 10, Seed: 2));

        Assert.Equal((28, 8, 4), (first.Training.Count, first.Validation.Count, first.Test.Count));
        Assert.Equal(first.Validation.Select(s => s.Name), again.Validation.Select(s => s.Name));
        Assert.NotEqual(first.Validation.Select(s => s.Name), otherSeed.Validation.Select(s => s.Name));
        Assert.Equal(40, first.AllSongs.Select(s => s.Name).Distinct().Count());
    }

    [Fact]
    public void Results_do_not_depend_on_the_degree_of_parallelism()
    {
        using var corpus = new CorpusFolder(goodFiles: 30);

        var serial = CorpusLoader.Load(corpus.Midi, TenAndFive, maxDegreeOfParallelism: 1);
        var parallel = CorpusLoader.Load(corpus.Midi, TenAndFive, maxDegreeOfParallelism: 8);

        Assert.Equal(serial.AllSongs.SelectMany(s => s.Tones), parallel.AllSongs.SelectMany(s => s.Tones));
        Assert.Equal(serial.Unusable, parallel.Unusable);
    }

    [Fact]
    public void Hold_out_lists_name_files_relative_to_the_lists_folder()
    {
        using var corpus = new CorpusFolder(goodFiles: 12);
        var validation = corpus.Folder.Write(
            "validation.txt",
            "midi/composer0/piece00.mid\nmidi/composer1/piece01.mid\n\nmidi/composer9/gone.mid\n"u8.ToArray()
        );
        var test = corpus.Folder.Write("test.txt", "midi/composer2/piece02.mid\nmidi/broken/empty.mid\n"u8.ToArray());

        var loaded = CorpusLoader.Load(corpus.Midi, new CorpusSplit.HoldOutLists(validation, test));

        Assert.Equal(["composer0/piece00.mid", "composer1/piece01.mid"], loaded.Validation.Select(s => s.Name));
        Assert.Equal(["composer2/piece02.mid"], loaded.Test.Select(s => s.Name));
        Assert.Equal(13 - 3, loaded.Training.Count);
        Assert.Equal([Path.Combine(corpus.Folder.Path, "midi/composer9/gone.mid")], loaded.MissingFromFolder);
    }

    [Fact]
    public void Hold_out_lists_are_found_beside_the_data_folder()
    {
        using var corpus = new CorpusFolder(goodFiles: 2);
        corpus.Folder.Write("validation.txt", []);
        corpus.Folder.Write("test.txt", []);

        var lists = CorpusSplit.FindHoldOutLists(corpus.Midi);

        Assert.NotNull(lists);
        Assert.Equal(Path.Combine(corpus.Folder.Path, "validation.txt"), lists.ValidationList);
        Assert.Null(CorpusSplit.FindHoldOutLists(Path.Combine(corpus.Midi, "composer0")));
    }

    [Fact]
    public void A_missing_folder_or_list_is_a_clear_error()
    {
        using var corpus = new CorpusFolder(goodFiles: 2);

        Assert.Throws<DirectoryNotFoundException>(() => CorpusLoader.Load(Path.Combine(corpus.Midi, "nowhere"), TenAndFive));
        var error = Assert.Throws<InvalidDataException>(() =>
            CorpusLoader.Load(corpus.Midi, new CorpusSplit.HoldOutLists("/nowhere/validation.txt", "/nowhere/test.txt"))
        );
        Assert.Contains("/nowhere/validation.txt", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => CorpusLoader.Load(corpus.Midi, new CorpusSplit.Percentages(80, 30, 0)));
    }

    [Fact]
    public void Feature_percentiles_interpolate_between_ranks()
    {
        var distribution = FeatureDistribution.Of("x", "unit", [.. Enumerable.Range(0, 101).Select(i => (double)i)]);

        Assert.Equal(FeatureDistribution.StandardPercentiles, distribution.Percentiles.Select(p => p.Value));
        Assert.Equal(50, distribution.Mean);
    }
}
