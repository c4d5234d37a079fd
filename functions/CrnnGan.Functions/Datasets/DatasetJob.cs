using System.Text.Json.Serialization;
using CrnnGan.Inference.Datasets;
using CrnnGan.Inference.Generation;

namespace CrnnGan.Functions.Datasets;

/// <summary>A submitted dataset: what to make (every default resolved at submit, so workers agree) and how it is split.</summary>
public sealed record DatasetJob(string Id, string? Name, int Count, int BatchSize, DatasetSettings Settings)
{
    /// <summary>
    /// When the job record was written, by storage's clock in whole seconds like the status's other times, so that
    /// created ≤ updated ≤ completed holds (the submitting instance's clock has milliseconds and may be skewed).
    /// </summary>
    [JsonIgnore]
    public DateTimeOffset CreatedUtc { get; init; }

    public int Batches => (Count + BatchSize - 1) / BatchSize;

    /// <summary>Songs in batch <paramref name="batch"/>: the last may be short.</summary>
    public int SongsIn(int batch) => Math.Min(BatchSize, Count - batch * BatchSize);

    public GenerationRequest Request => Settings.Request(Count);

    public static string FileOf(GeneratedSong song, string extension) => $"song-{song.Seed}.{extension}";
}
