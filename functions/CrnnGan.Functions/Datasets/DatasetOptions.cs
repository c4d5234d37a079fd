namespace CrnnGan.Functions.Datasets;

/// <summary>
/// App settings of dataset generation (section "Datasets"; in Azure, Datasets__BatchSize and so on). The storage
/// account is the connection named <see cref="Connection"/>: a connection string, or identity-based
/// (<c>AzureWebJobsStorage__blobServiceUri</c> and <c>__queueServiceUri</c>, with the app's managed identity).
/// </summary>
public sealed class DatasetOptions
{
    public const string Section = "Datasets";

    /// <summary>The connection the queue trigger and the blob and queue clients use.</summary>
    public const string Connection = "AzureWebJobsStorage";

    /// <summary>One message per batch of songs; the Functions host scales out on its length.</summary>
    public const string Queue = "dataset-batches";

    /// <summary>Where the Functions host moves a message after its last failed attempt.</summary>
    public const string PoisonQueue = Queue + "-poison";

    /// <summary>Blob container of the jobs: {job}/job.json, {job}/song-{seed}.mid, {job}/manifest.jsonl.</summary>
    public string Container { get; set; } = "datasets";

    /// <summary>Songs per queue message: one ONNX Runtime batch. Part of what makes the bytes, as for crnngan generate.</summary>
    public int BatchSize { get; set; } = 64;

    public int MaxCount { get; set; } = 1_000_000;

    /// <summary>Batches one submit message fans out into; submit itself enqueues one message per this many batches.</summary>
    public int FanOut { get; set; } = 1000;

    /// <summary>How long the read-only links that status gives to a job's blobs stay valid.</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>A job's manifest is one blob of one block per batch, and a blob holds at most 50,000 blocks.</summary>
    public const int MaxBatches = 50_000;

    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Container))
            yield return "Datasets:Container must name a blob container";
        if (BatchSize is < 1 or > 256)
            yield return $"Datasets:BatchSize must be between 1 and 256, not {BatchSize}";
        if (MaxCount < 1 || (MaxCount + (long)BatchSize - 1) / BatchSize > MaxBatches)
            yield return $"Datasets:MaxCount must be at least 1 and make at most {MaxBatches} batches, not {MaxCount}";
        if (FanOut is < 1 or > 10_000)
            yield return $"Datasets:FanOut must be between 1 and 10000, not {FanOut}";
    }
}
