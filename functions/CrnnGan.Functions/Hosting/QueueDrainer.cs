using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using CrnnGan.Functions.Datasets;
using Microsoft.Extensions.Logging;

namespace CrnnGan.Functions.Hosting;

/// <summary>
/// The dataset queue drained as the Functions host's queue trigger drains it, where there is no host (the local
/// server, tests, the benchmark): each of N workers takes a message for <see cref="Lease"/>, runs the same function
/// and deletes the message when it succeeds. A failed message shows again after <see cref="RetryDelay"/>; at its
/// <see cref="MaxDequeueCount"/>th failure it moves to the poison queue, whose function records the failed batch.
/// A worker that dies holds its message until the lease ends; then another takes it. Storage that stops answering
/// is waited for.
/// </summary>
public sealed partial class QueueDrainer(DatasetStorage storage, DatasetWorker worker, ILogger<QueueDrainer> logger)
{
    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    public int MaxDequeueCount { get; init; } = 5;

    /// <summary>The function a message runs; tests wrap it to kill a worker or fail a batch.</summary>
    public Func<string, CancellationToken, Task>? Handler { get; init; }

    private DatasetStore Store => storage.Store ?? throw new InvalidOperationException(storage.Problem);

    /// <summary>Runs <paramref name="workers"/> workers until stopped.</summary>
    public Task RunAsync(int workers, CancellationToken stop) => Task.WhenAll(Enumerable.Range(0, workers).Select(_ => WorkAsync(null, stop)));

    /// <summary>Runs until both queues are empty (messages a dead worker holds included) and every worker is idle.</summary>
    public async Task DrainAsync(int workers, CancellationToken stop)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var busy = new int[1];
        var running = Enumerable.Range(0, workers).Select(_ => WorkAsync(busy, idle.Token)).ToList();
        while (!stop.IsCancellationRequested)
        {
            await Task.Delay(200, stop);
            try
            {
                if (Volatile.Read(ref busy[0]) == 0 && await CountAsync(Store.Queue, stop) == 0 && await CountAsync(Store.Poison, stop) == 0)
                    break;
            }
            catch (Exception e) when (e is RequestFailedException or HttpRequestException or AggregateException)
            {
                LogStorageDown(logger, e.Message);
            }
        }
        await idle.CancelAsync();
        await Task.WhenAll(running.Select(r => r.ContinueWith(_ => { }, TaskScheduler.Default)));
        stop.ThrowIfCancellationRequested();
    }

    private static async Task<int> CountAsync(QueueClient queue, CancellationToken stop) =>
        (await queue.GetPropertiesAsync(stop)).Value.ApproximateMessagesCount;

    private async Task WorkAsync(int[]? busy, CancellationToken stop)
    {
        var handler = Handler ?? worker.ProcessAsync;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Store.EnsureCreatedAsync(stop);
                if (await TakeAsync(Store.Poison, stop) is { } poison)
                {
                    await worker.RecordPoisonAsync(poison.MessageText, stop);
                    await Store.Poison.DeleteMessageAsync(poison.MessageId, poison.PopReceipt, stop);
                    continue;
                }
                if (await TakeAsync(Store.Queue, stop) is not { } message)
                {
                    await Task.Delay(100, stop);
                    continue;
                }
                if (busy is not null)
                    Interlocked.Increment(ref busy[0]);
                try
                {
                    await ProcessAsync(handler, message, stop);
                }
                finally
                {
                    if (busy is not null)
                        Interlocked.Decrement(ref busy[0]);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is RequestFailedException or HttpRequestException or AggregateException)
            {
                LogStorageDown(logger, e.Message);
                await Task.Delay(500, CancellationToken.None);
            }
        }
    }

    private async Task<QueueMessage?> TakeAsync(QueueClient queue, CancellationToken stop) => (await queue.ReceiveMessageAsync(Lease, stop)).Value;

    private async Task ProcessAsync(Func<string, CancellationToken, Task> handler, QueueMessage message, CancellationToken stop)
    {
        try
        {
            await handler(message.MessageText, stop);
        }
        catch (WorkerDiedException)
        {
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
        {
            LogFailed(logger, message.MessageId, message.DequeueCount, e.Message);
            await worker.RecordErrorAsync(message.MessageText, e);
            if (message.DequeueCount >= MaxDequeueCount)
            {
                await Store.Poison.SendMessageAsync(message.MessageText, stop);
                await Store.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stop);
            }
            else
                await Store.Queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: RetryDelay, cancellationToken: stop);
            return;
        }
        await Store.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stop);
    }

    /// <summary>Thrown by a handler to play a worker that died: its message is left to its lease.</summary>
    public sealed class WorkerDiedException : Exception;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage did not answer ({Reason}); trying again.")]
    private static partial void LogStorageDown(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {Id} failed on attempt {Attempt}: {Reason}")]
    private static partial void LogFailed(ILogger logger, string id, long attempt, string reason);
}
