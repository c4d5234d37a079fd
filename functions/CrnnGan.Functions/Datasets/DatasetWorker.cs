using System.Collections.Concurrent;
using CrnnGan.Functions.Hosting;
using CrnnGan.Inference.Datasets;
using CrnnGan.Inference.Generation;
using Microsoft.Extensions.Logging;

namespace CrnnGan.Functions.Datasets;

/// <summary>
/// What a queue message does: a range of batches fans out into smaller ranges, then single batches; a batch is
/// generated with the shared session, each song written once, then its manifest lines staged. Delivered twice, or
/// again after a worker died mid-batch, a batch makes the same bytes and writes only what is missing.
/// </summary>
public sealed partial class DatasetWorker(ModelHost model, DatasetStorage storage, ILogger<DatasetWorker> logger)
{
    private readonly ConcurrentDictionary<string, DatasetJob> _jobs = new();

    private DatasetStore Store => storage.Store ?? throw new InvalidOperationException(storage.Problem);

    public async Task ProcessAsync(string text, CancellationToken cancellation)
    {
        var (message, problem) = DatasetMessage.Parse(text);
        if (message is null)
        {
            // Retrying cannot mend it: straight to the poison queue, and on with the next message.
            LogMalformed(logger, problem!);
            await Store.Poison.SendMessageAsync(text, cancellation);
            return;
        }
        if (message.IsBatch)
            await MakeBatchAsync(message.Job, message.First, cancellation);
        else
            await FanOutAsync(message, cancellation);
    }

    /// <summary>
    /// Keeps why a batch's attempt failed: the host retries and at last moves the message to the poison queue,
    /// whose function reports the last error kept. Best effort, since storage may be what failed.
    /// </summary>
    public async Task RecordErrorAsync(string text, Exception error)
    {
        if (DatasetMessage.Parse(text).Message is { IsBatch: true } message && storage.Store is { } store)
            await store.RecordErrorAsync(message.Job, message.First, $"{error.GetType().Name}: {error.Message}", CancellationToken.None);
    }

    /// <summary>A message that failed every attempt: its batches are marked failed, with the last error seen.</summary>
    public async Task RecordPoisonAsync(string text, CancellationToken cancellation)
    {
        var (message, problem) = DatasetMessage.Parse(text);
        if (message is null)
        {
            LogPoisonMalformed(logger, problem!);
            return;
        }
        for (var batch = message.First; batch <= message.Last; batch++)
        {
            var error = await Store.LastErrorAsync(message.Job, batch, cancellation);
            var reason = $"every attempt failed (host.json's maxDequeueCount); the last: {error ?? "not recorded"}";
            await Store.RecordFailureAsync(message.Job, batch, reason, cancellation);
            LogBatchFailed(logger, message.Job, batch, reason);
        }
    }

    private async Task FanOutAsync(DatasetMessage range, CancellationToken cancellation)
    {
        var size = range.Last - range.First + 1 > storage.Options.FanOut ? storage.Options.FanOut : 1;
        for (var first = range.First; first <= range.Last; first += size)
        {
            var part = new DatasetMessage(range.Job, first, Math.Min(first + size - 1, range.Last));
            await Store.Queue.SendMessageAsync(part.ToJson(), cancellation);
        }
    }

    private async Task MakeBatchAsync(string id, int batch, CancellationToken cancellation)
    {
        var job = await JobAsync(id, cancellation);
        if (batch >= job.Batches)
            throw new InvalidDataException($"Job {id} has {job.Batches} batches, not a batch {batch}.");
        var session = model.Session ?? throw new InvalidOperationException(model.Error);
        var songs = new SongGenerator(session).GenerateBatch(job.Request, batch).Select(s => DatasetSong.Of(s, job.Settings, DatasetJob.FileOf));
        var entries = new List<ManifestEntry>();
        foreach (var song in songs)
        {
            cancellation.ThrowIfCancellationRequested();
            await Store.WriteSongAsync(id, song, cancellation);
            entries.Add(song.Entry);
        }
        await Store.StageBatchAsync(id, batch, entries, cancellation);
        await Store.TouchAsync(id, cancellation);
        LogBatchDone(logger, id, batch, entries.Count);

        // A small job's last batch writes the manifest; a large one's first status read after completion does,
        // so that no batch reads a block list of thousands.
        if (job.Batches <= storage.Options.FanOut && (await Store.ProgressAsync(id, cancellation)).Done == job.Batches)
            await Store.CommitManifestAsync(job, cancellation);
    }

    private async Task<DatasetJob> JobAsync(string id, CancellationToken cancellation)
    {
        if (_jobs.TryGetValue(id, out var job))
            return job;
        job = await Store.ReadJobAsync(id, cancellation) ?? throw new InvalidDataException($"No dataset job {id}.");
        return _jobs.GetOrAdd(id, job);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A queue message is not a dataset batch ({Problem}): moved to the poison queue.")]
    private static partial void LogMalformed(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A poison message is not a dataset batch ({Problem}): dropped.")]
    private static partial void LogPoisonMalformed(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Dataset {Job}: batch {Batch} failed: {Reason}.")]
    private static partial void LogBatchFailed(ILogger logger, string job, int batch, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dataset {Job}: batch {Batch} done, {Songs} songs.")]
    private static partial void LogBatchDone(ILogger logger, string job, int batch, int songs);
}
