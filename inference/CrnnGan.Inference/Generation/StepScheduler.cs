using System.Collections.Concurrent;
using CrnnGan.Inference.Generation.Steps;
using Microsoft.ML.OnnxRuntime;

namespace CrnnGan.Inference.Generation;

/// <summary>
/// Runs the step loops of concurrent callers as one ONNX Runtime batch ("continuous batching"): a call's songs join
/// the running batch at its next step (or, when it is idle, after <see cref="Window"/>, in which others may arrive)
/// and leave it when done, so that songs of any length share it, up to <see cref="MaxBatch"/> at a time. A row draws
/// from its own seed alone, and ONNX Runtime's CPU kernels compute each row of a batch the same way whatever the
/// batch's size, so every caller gets exactly the steps it would get alone. The loop runs on a thread of its own.
/// </summary>
public sealed class StepScheduler : IDisposable
{
    private readonly GeneratorSession _session;
    private readonly ConcurrentQueue<(SongRow Row, Call Call)> _pending = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _loop;
    private long _steps;
    private long _rowSteps;
    private int _peakBatch;

    /// <summary>
    /// A scheduler over <paramref name="session"/>: an idle scheduler waits <paramref name="window"/> for more songs before it starts a batch of
    /// at most <paramref name="maxBatch"/>.
    /// </summary>
    public StepScheduler(GeneratorSession session, TimeSpan window, int maxBatch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        (_session, Window, MaxBatch) = (session, window, maxBatch);
        _loop = new Thread(Loop) { IsBackground = true, Name = "crnngan step scheduler" };
        _loop.Start();
    }

    /// <summary>How long an idle scheduler waits for more calls before it starts a batch.</summary>
    public TimeSpan Window { get; }

    /// <summary>The most songs in one batch; more wait until songs leave it.</summary>
    public int MaxBatch { get; }

    /// <summary>Steps run so far, each one ONNX Runtime run of the whole batch.</summary>
    public long Steps => Interlocked.Read(ref _steps);

    /// <summary>Rows stepped so far: divided by <see cref="Steps"/>, the mean batch.</summary>
    public long RowSteps => Interlocked.Read(ref _rowSteps);

    /// <summary>The most songs one step has run together so far.</summary>
    public int PeakBatch => Volatile.Read(ref _peakBatch);

    /// <summary>
    /// Steps <paramref name="rows"/> in the shared batch until each is done (as <see cref="GeneratorSession.RunRows"/> would
    /// alone), or until <paramref name="cancellation"/> ends the call.
    /// </summary>
    internal Task RunAsync(SongRow[] rows, CancellationToken cancellation)
    {
        ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
        if (rows.Length == 0 || rows[0].Done)
            return Task.CompletedTask;
        var call = new Call(rows.Length, cancellation);
        foreach (var row in rows)
            _pending.Enqueue((row, call));
        _arrived.Release();
        return call.Completion.Task;
    }

    private void Loop()
    {
        using var batch = new RowBatch(_session.Onnx, _session.Metadata, MaxBatch);
        using var options = new RunOptions();
        var members = new List<(SongRow Row, Call Call)>();
        while (!_stop.IsCancellationRequested)
        {
            if (members.Count == 0 && !Idle())
                break;
            var changed = members.RemoveAll(m => m.Row.Done || m.Call.Ended) > 0;
            var count = members.Count;
            while (members.Count < MaxBatch && _pending.TryDequeue(out var next))
            {
                if (!next.Call.Ended)
                    members.Add(next);
            }
            if (changed || members.Count != count)
                batch.SetRows([.. members.Select(m => m.Row)]);
            if (members.Count == 0)
                continue;
            try
            {
                batch.Step(options);
                Interlocked.Increment(ref _steps);
                Interlocked.Add(ref _rowSteps, members.Count);
                Volatile.Write(ref _peakBatch, Math.Max(_peakBatch, members.Count));
            }
            catch (Exception e)
            {
                foreach (var (_, call) in members)
                    call.Completion.TrySetException(e);
                continue;
            }
            foreach (var (row, call) in members)
            {
                if (row.Done)
                    call.RowDone();
            }
        }
        foreach (var (_, call) in members.Concat(_pending))
            call.Completion.TrySetCanceled();
    }

    /// <summary>Waits for a call, then for <see cref="Window"/>; false when the scheduler is being disposed.</summary>
    private bool Idle()
    {
        try
        {
            _arrived.Wait(_stop.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        // One wake-up serves every call that arrived by now: their rows are all in the queue.
        while (_arrived.Wait(0)) { }
        if (Window > TimeSpan.Zero)
            Thread.Sleep(Window);
        return true;
    }

    /// <summary>Stops the step loop and waits for it to end.</summary>
    public void Dispose()
    {
        if (_stop.IsCancellationRequested)
            return;
        _stop.Cancel();
        _loop.Join();
        _stop.Dispose();
        _arrived.Dispose();
    }

    /// <summary>One caller's songs: done when each row is, or ended early by its cancellation or a failed step.</summary>
    private sealed class Call
    {
        private readonly CancellationTokenRegistration _registration;
        private int _remaining;

        public Call(int rows, CancellationToken cancellation)
        {
            _remaining = rows;
            _registration = cancellation.Register(() => Completion.TrySetCanceled(cancellation));
        }

        /// <summary>Continuations run off the scheduler's thread, which only steps.</summary>
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Ended => Completion.Task.IsCompleted;

        public void RowDone()
        {
            if (--_remaining == 0 && Completion.TrySetResult())
                _registration.Dispose();
        }
    }
}
