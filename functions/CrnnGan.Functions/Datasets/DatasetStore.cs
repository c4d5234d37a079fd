using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Queues;
using Azure.Storage.Sas;
using CrnnGan.Inference.Datasets;
using Microsoft.Extensions.Configuration;

namespace CrnnGan.Functions.Datasets;

/// <summary>
/// A job's blobs and the batch queue. Layout in the container: {job}/job.json (the job, written once),
/// {job}/song-{seed}.mid (each written once, whole: a blob is created by one Put Blob, so no reader sees half of
/// one), {job}/failed/batch-NNNNNN.json, and {job}/manifest.jsonl, one block per batch, staged as each batch is
/// done and committed once when all are: the staged blocks are the job's progress, and the commit writes the
/// manifest without copying a byte.
/// </summary>
public sealed class DatasetStore
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly BlobContainerClient _container;
    private Task? _created;

    private DatasetStore(BlobContainerClient container, QueueClient queue, QueueClient poison)
    {
        _container = container;
        Queue = queue;
        Poison = poison;
    }

    public QueueClient Queue { get; }

    public QueueClient Poison { get; }

    /// <summary>Clients for the <see cref="DatasetOptions.Connection"/> settings, or the reason there are none.</summary>
    public static (DatasetStore? Store, string? Problem) Connect(IConfiguration configuration, DatasetOptions options)
    {
        // The Functions queue extension reads messages as base64; ours are written so.
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        var connection = configuration[DatasetOptions.Connection];
        if (!string.IsNullOrWhiteSpace(connection))
            return (
                new DatasetStore(
                    new BlobContainerClient(connection, options.Container),
                    new QueueClient(connection, DatasetOptions.Queue, queueOptions),
                    new QueueClient(connection, DatasetOptions.PoisonQueue, queueOptions)
                ),
                null
            );
        var section = configuration.GetSection(DatasetOptions.Connection);
        if (section["blobServiceUri"] is not { } blobs || section["queueServiceUri"] is not { } queues)
            return (
                null,
                $"Dataset storage is not configured: set {DatasetOptions.Connection} to a connection string, or "
                    + $"{DatasetOptions.Connection}__blobServiceUri and __queueServiceUri for the app's identity."
            );
        var credential = new DefaultAzureCredential();
        var queueService = new QueueServiceClient(new Uri(queues), credential, queueOptions);
        return (
            new DatasetStore(
                new BlobServiceClient(new Uri(blobs), credential).GetBlobContainerClient(options.Container),
                queueService.GetQueueClient(DatasetOptions.Queue),
                queueService.GetQueueClient(DatasetOptions.PoisonQueue)
            ),
            null
        );
    }

    public static bool IsJobId(string? id) => id is { Length: 32 } && id.All(char.IsAsciiHexDigitLower);

    /// <summary>The container and both queues, created on first use.</summary>
    public Task EnsureCreatedAsync(CancellationToken cancellation)
    {
        var created = _created;
        if (created is null || created.IsFaulted || created.IsCanceled)
            _created = created = Task.WhenAll(
                _container.CreateIfNotExistsAsync(cancellationToken: cancellation),
                Queue.CreateIfNotExistsAsync(cancellationToken: cancellation),
                Poison.CreateIfNotExistsAsync(cancellationToken: cancellation)
            );
        return created;
    }

    public async Task CreateJobAsync(DatasetJob job, CancellationToken cancellation)
    {
        await EnsureCreatedAsync(cancellation);
        await _container
            .GetBlobClient($"{job.Id}/job.json")
            .UploadAsync(
                BinaryData.FromObjectAsJson(job, Json),
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } },
                cancellation
            );
    }

    public async Task<DatasetJob?> ReadJobAsync(string id, CancellationToken cancellation)
    {
        try
        {
            var content = await _container.GetBlobClient($"{id}/job.json").DownloadContentAsync(cancellation);
            return content.Value.Content.ToObjectFromJson<DatasetJob>(Json)! with { CreatedUtc = content.Value.Details.LastModified };
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Writes a song unless it is there: false when an earlier attempt wrote it (its bytes are the same).</summary>
    public async Task<bool> WriteSongAsync(string job, DatasetSong song, CancellationToken cancellation)
    {
        var metadata = song.Entry.Statistics.ToDictionary(s => s.Key, s => s.Value.ToString("R", CultureInfo.InvariantCulture));
        metadata["seed"] = song.Entry.Seed.ToString(CultureInfo.InvariantCulture);
        metadata["index"] = song.Entry.Index.ToString(CultureInfo.InvariantCulture);
        if (song.Entry.Key is { } key)
            metadata["key"] = key.Replace("#", "sharp", StringComparison.Ordinal);
        try
        {
            await _container
                .GetBlobClient($"{job}/{song.File}")
                .UploadAsync(
                    BinaryData.FromBytes(song.Bytes),
                    new BlobUploadOptions
                    {
                        Metadata = metadata,
                        Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                    },
                    cancellation
                );
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Stages batch <paramref name="batch"/>'s manifest lines: from now on the batch counts as done.</summary>
    public async Task StageBatchAsync(string job, int batch, IEnumerable<ManifestEntry> entries, CancellationToken cancellation)
    {
        var lines = string.Concat(entries.Select(e => JsonSerializer.Serialize(e, DatasetSong.Json) + "\n"));
        using var content = new MemoryStream(Encoding.UTF8.GetBytes(lines));
        await Manifest(job).StageBlockAsync(BlockId(batch), content, cancellationToken: cancellation);
    }

    /// <summary>Marks that a batch of the job was just done: the blob's time is the status's "updated".</summary>
    public async Task TouchAsync(string job, CancellationToken cancellation) =>
        await _container.GetBlobClient($"{job}/updated").UploadAsync(BinaryData.Empty, overwrite: true, cancellation);

    public async Task<DateTimeOffset?> UpdatedAsync(string job, CancellationToken cancellation)
    {
        try
        {
            return (await _container.GetBlobClient($"{job}/updated").GetPropertiesAsync(cancellationToken: cancellation)).Value.LastModified;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>How many batches are done, and whether the manifest is written (then all are).</summary>
    public async Task<(int Done, bool Complete)> ProgressAsync(string job, CancellationToken cancellation)
    {
        try
        {
            var blocks = (await Manifest(job).GetBlockListAsync(BlockListTypes.All, cancellationToken: cancellation)).Value;
            var committed = blocks.CommittedBlocks.Count();
            return committed > 0 ? (committed, true) : (blocks.UncommittedBlocks.Select(b => b.Name).Distinct().Count(), false);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return (0, false);
        }
    }

    /// <summary>Writes manifest.jsonl from the staged batches, once: false when another writer was first.</summary>
    public async Task<bool> CommitManifestAsync(DatasetJob job, CancellationToken cancellation)
    {
        try
        {
            await Manifest(job.Id)
                .CommitBlockListAsync(
                    Enumerable.Range(0, job.Batches).Select(BlockId),
                    new CommitBlockListOptions
                    {
                        Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                        HttpHeaders = new BlobHttpHeaders { ContentType = "application/x-ndjson" },
                    },
                    cancellation
                );
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    public async Task RecordFailureAsync(string job, int batch, string reason, CancellationToken cancellation) =>
        await _container
            .GetBlobClient($"{job}/failed/batch-{batch:D6}.json")
            .UploadAsync(BinaryData.FromObjectAsJson(new BatchFailure(batch, reason), Json), overwrite: true, cancellation);

    public async Task RecordErrorAsync(string job, int batch, string error, CancellationToken cancellation)
    {
        try
        {
            await _container.GetBlobClient($"{job}/errors/batch-{batch:D6}.txt").UploadAsync(BinaryData.FromString(error), true, cancellation);
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException)
        {
            // Best effort: the error is in the app's log too, and storage may be what failed.
        }
    }

    public async Task<string?> LastErrorAsync(string job, int batch, CancellationToken cancellation)
    {
        try
        {
            return (await _container.GetBlobClient($"{job}/errors/batch-{batch:D6}.txt").DownloadContentAsync(cancellation)).Value.Content.ToString();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<BatchFailure>> FailuresAsync(string job, CancellationToken cancellation)
    {
        var failures = new List<BatchFailure>();
        await foreach (var blob in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, $"{job}/failed/", cancellation))
        {
            var content = await _container.GetBlobClient(blob.Name).DownloadContentAsync(cancellation);
            failures.Add(content.Value.Content.ToObjectFromJson<BatchFailure>(Json)!);
        }
        return [.. failures.OrderBy(f => f.Batch)];
    }

    /// <summary>When the manifest was written (null before).</summary>
    public async Task<DateTimeOffset?> CompletedAsync(string job, CancellationToken cancellation)
    {
        try
        {
            return (await Manifest(job).GetPropertiesAsync(cancellationToken: cancellation)).Value.LastModified;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Read-only links to the manifest and to the container (read and list), for a downloader without keys.</summary>
    public async Task<(Uri Manifest, Uri Container)> LinksAsync(string job, TimeSpan lifetime, CancellationToken cancellation)
    {
        var expires = DateTimeOffset.UtcNow + lifetime;
        var manifest = _container.GetBlobClient($"{job}/manifest.jsonl");
        if (_container.CanGenerateSasUri)
            return (
                manifest.GenerateSasUri(BlobSasPermissions.Read, expires),
                _container.GenerateSasUri(BlobContainerSasPermissions.Read | BlobContainerSasPermissions.List, expires)
            );
        // With the app's identity there is no account key: the links are signed with a user delegation key.
        var service = _container.GetParentBlobServiceClient();
        var key = (await service.GetUserDelegationKeyAsync(DateTimeOffset.UtcNow.AddMinutes(-5), expires, cancellation)).Value;
        Uri Signed(BlobSasBuilder builder, Uri uri) =>
            new BlobUriBuilder(uri) { Sas = builder.ToSasQueryParameters(key, service.AccountName) }.ToUri();
        var forManifest = new BlobSasBuilder(BlobSasPermissions.Read, expires) { BlobContainerName = _container.Name, BlobName = manifest.Name };
        var forContainer = new BlobSasBuilder(BlobContainerSasPermissions.Read | BlobContainerSasPermissions.List, expires)
        {
            BlobContainerName = _container.Name,
        };
        return (Signed(forManifest, manifest.Uri), Signed(forContainer, _container.Uri));
    }

    private BlockBlobClient Manifest(string job) => _container.GetBlockBlobClient($"{job}/manifest.jsonl");

    // Block ids of one blob must all be as long.
    private static string BlockId(int batch) => Convert.ToBase64String(Encoding.ASCII.GetBytes($"batch-{batch:D8}"));
}
