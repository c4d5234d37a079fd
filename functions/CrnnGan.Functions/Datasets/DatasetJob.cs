using CrnnGan.Inference.Datasets;
using CrnnGan.Inference.Generation;
using CrnnGan.Inference.Music;

namespace CrnnGan.Functions.Datasets;

/// <summary>A submitted dataset: what to make (every default resolved at submit, so workers agree) and how it is split.</summary>
public sealed record DatasetJob(string Id, string? Name, int Count, int BatchSize, DatasetSettings Settings, DateTimeOffset CreatedUtc)
{
    public int Batches => (Count + BatchSize - 1) / BatchSize;

    /// <summary>Songs in batch <paramref name="batch"/>: the last may be short.</summary>
    public int SongsIn(int batch) => Math.Min(BatchSize, Count - batch * BatchSize);

    public GenerationRequest Request =>
        new()
        {
            Count = Count,
            Steps = Settings.Steps,
            DurationSeconds = Settings.DurationSeconds,
            Seed = Settings.Seed,
            Bpm = Settings.Bpm,
            Program = Settings.Program,
            NoiseScale = Settings.NoiseScale,
            Temperature = Settings.Temperature,
            Key = Settings.Key is { } key && MusicalKey.TryParse(key, out var parsed) ? parsed : null,
            BatchSize = BatchSize,
        };

    public static string FileOf(GeneratedSong song, string extension) => $"song-{song.Seed}.{extension}";
}
