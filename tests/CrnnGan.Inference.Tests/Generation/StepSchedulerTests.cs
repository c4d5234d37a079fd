using System.Security.Cryptography;
using CrnnGan.Inference.Generation;
using CrnnGan.Inference.Generation.Encodings;
using CrnnGan.TestSupport;

namespace CrnnGan.Inference.Tests.Generation;

/// <summary>Dynamic batching: concurrent callers share one batch and each gets exactly the songs it would get alone.</summary>
public sealed class StepSchedulerTests
{
    public static TheoryData<string> Models =>
        [FixtureModels.Tones, FixtureModels.LookbackTones, FixtureModels.OneTonePerStep, FixtureModels.ThreeTonesPerStep, Bundled];

    private static string Bundled => Repository.Model("crnngan.onnx");

    private static GeneratorSession Open(string model) => GeneratorSession.Open(model, new GeneratorSessionOptions(ExecutionProvider.Cpu));

    /// <summary>Caller i's request: steps, counts, seeds and (for tone models) temperatures that differ from caller to caller.</summary>
    private static GenerationRequest Request(int i, bool tones) =>
        new()
        {
            Count = 1 + i % 3,
            BatchSize = 1 + i % 3,
            Steps = 20 + 37 * i % 180,
            DurationSeconds = i % 8 == 5 ? 3 + i % 4 : null,
            Seed = (ulong)(1000 * i + 7),
            Temperature = tones ? 0.5f + 0.1f * (i % 7) : null,
            NoiseScale = i % 5 == 4 ? 0.8f : 1f,
        };

    private static List<string> Hashes(IEnumerable<GeneratedSong> songs) => [.. songs.Select(s => Convert.ToHexString(SHA256.HashData(s.ToMidi(0))))];

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Songs_from_32_concurrent_callers_equal_byte_for_byte_those_made_alone_and_share_batches(string model)
    {
        using var session = Open(model);
        var tones = session.Metadata.Encoding is ToneEncoding;
        var requests = Enumerable.Range(0, 32).Select(i => Request(i, tones)).ToList();
        var alone = requests.Select(r => Hashes(new SongGenerator(session).Generate(r))).ToList();

        using var scheduler = new StepScheduler(session, TimeSpan.FromMilliseconds(5), maxBatch: 24);
        var shared = new SongGenerator(session, scheduler);
        var start = new TaskCompletionSource();
        var calls = requests
            .Select(r =>
                Task.Run(async () =>
                {
                    await start.Task;
                    return Hashes(await shared.GenerateAsync(r, default));
                })
            )
            .ToList();
        start.SetResult();
        var together = await Task.WhenAll(calls);

        for (var i = 0; i < requests.Count; i++)
            Assert.True(alone[i].SequenceEqual(together[i]), $"caller {i} ({requests[i]}) got other songs in a shared batch");
        // The peak, not the mean: a caller's long song (a duration at a low temperature) steps alone at the end.
        Assert.True(scheduler.PeakBatch >= 16, $"the callers shared batches of at most {scheduler.PeakBatch} songs");
    }

    [Fact]
    public async Task A_cancelled_caller_leaves_the_batch_and_the_others_get_their_songs()
    {
        using var session = Open(FixtureModels.Tones);
        using var scheduler = new StepScheduler(session, TimeSpan.FromMilliseconds(5), maxBatch: 64);
        var shared = new SongGenerator(session, scheduler);
        // The caller to cancel asks for far more steps than the others, so that it is still stepping when the cancellation
        // comes however long this test's own thread waits for a turn on a busy machine.
        var requests = Enumerable
            .Range(0, 8)
            .Select(i => Request(i, tones: true) with { Steps = i == 3 ? GenerationRequest.MaxSteps : 4000, DurationSeconds = null })
            .ToList();
        using var cancel = new CancellationTokenSource();

        var calls = requests.Select((r, i) => shared.GenerateAsync(r, i == 3 ? cancel.Token : default)).ToList();
        while (scheduler.Steps < 100)
            await Task.Delay(1);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => calls[3]);
        for (var i = 0; i < requests.Count; i++)
        {
            if (i == 3)
                continue;
            Assert.Equal(Hashes(new SongGenerator(session).Generate(requests[i])), Hashes(await calls[i]));
        }
    }

    [Fact]
    public async Task Disposing_the_scheduler_cancels_the_calls_it_has_not_finished()
    {
        using var session = Open(FixtureModels.Tones);
        var scheduler = new StepScheduler(session, TimeSpan.Zero, maxBatch: 1);
        var calls = Enumerable
            .Range(0, 3)
            .Select(i => new SongGenerator(session, scheduler).GenerateAsync(Request(i, true) with { Steps = 100_000 }, default))
            .ToList();
        while (scheduler.Steps < 10)
            await Task.Delay(1);

        scheduler.Dispose();

        foreach (var call in calls)
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => new SongGenerator(session, scheduler).GenerateAsync(Request(0, true), default));
    }
}
