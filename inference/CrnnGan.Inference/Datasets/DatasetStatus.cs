namespace CrnnGan.Inference.Datasets;

/// <summary>A dataset job's batches.</summary>
/// <param name="Total">How many batches the job has.</param>
/// <param name="Done">How many are written.</param>
/// <param name="Failed">How many went to the poison queue.</param>
public sealed record BatchCounts(int Total, int Done, int Failed);

/// <summary>A batch whose message went to the poison queue, and why.</summary>
public sealed record BatchFailure(int Batch, string Reason);

/// <summary>
/// What GET /api/datasets/{job} answers: State is running, failed (every batch done or failed, some failed) or
/// complete; SongsWritten counts whole batches; UpdatedUtc is when a batch was last done; Manifest and Songs are
/// read-only links, once complete.
/// </summary>
public sealed record DatasetStatus(
    string Id,
    string? Name,
    string State,
    int Count,
    BatchCounts Batches,
    int SongsWritten,
    IReadOnlyList<BatchFailure> Failed,
    DateTimeOffset CreatedUtc,
    DateTimeOffset? UpdatedUtc,
    DateTimeOffset? CompletedUtc,
    Uri? Manifest,
    Uri? Songs,
    DatasetSettings Settings
);
