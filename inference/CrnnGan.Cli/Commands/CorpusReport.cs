using CrnnGan.Inference.Data;
using CrnnGan.Inference.Features;
using CrnnGan.Inference.Music;
using CrnnGan.Inference.Statistics;

namespace CrnnGan.Cli.Commands;

/// <summary>What the corpus command reports, as printed and as written with --json.</summary>
public sealed record CorpusReport(
    string Folder,
    string Split,
    int FilesFound,
    int Usable,
    IReadOnlyList<UnusableFile> Unusable,
    IReadOnlyList<string> HoldOutEntriesMissing,
    IReadOnlyList<SplitSummary> Splits,
    IReadOnlyList<FeatureDistribution> Features,
    int WindowSteps,
    int TonesPerStep,
    ulong Seed,
    IReadOnlyList<WindowStatistics> Statistics
)
{
    public static CorpusReport Of(Corpus corpus, string splitDescription, StepLayout layout, int windowSteps, ulong seed)
    {
        (string Name, IReadOnlyList<Song> Songs)[] splits = [("training", corpus.Training), ("validation", corpus.Validation), ("test", corpus.Test)];

        var statistics = splits
            .Select(s =>
            {
                var windows = s
                    .Songs.AsParallel()
                    .AsOrdered()
                    .Select(song => WindowedStatistics.SeededWindow(song, layout, windowSteps, seed))
                    .ToList();
                return new WindowStatistics(s.Name, windows.Count, StatisticSummary.Of(windows));
            })
            .ToList();

        return new CorpusReport(
            corpus.Root,
            splitDescription,
            corpus.FilesFound,
            corpus.SongCount,
            [.. corpus.Unusable.Select(u => u with { Path = Path.GetRelativePath(corpus.Root, u.Path) })],
            corpus.MissingFromFolder,
            [.. splits.Select(s => SplitSummary.Of(s.Name, s.Songs, layout))],
            FeatureDistribution.OfTones(corpus.AllSongs),
            windowSteps,
            layout.TonesPerStep,
            seed,
            statistics
        );
    }
}

public sealed record SplitSummary(string Name, int Songs, long Tones, long Steps, double Hours)
{
    public static SplitSummary Of(string name, IReadOnlyList<Song> songs, StepLayout layout) =>
        new(
            name,
            songs.Count,
            songs.Sum(s => (long)s.Tones.Count),
            songs.AsParallel().Sum(s => (long)StepEncoder.Encode(s.Tones, layout).Steps),
            songs.Sum(s => s.LengthInSeconds) / 3600
        );
}

public sealed record WindowStatistics(string Split, int Windows, IReadOnlyList<StatisticSummary> Summary);
