using CrnnGan.Inference.Generation.Steps;
using CrnnGan.Inference.Statistics;

namespace CrnnGan.Inference.Generation;

/// <summary>
/// Turns requests into songs: resolves a request against the model once, runs a batch of rows that the model's
/// encoding makes, and decodes them into tones. Given a <see cref="StepScheduler"/>, the rows share the scheduler's
/// batch with other callers' (the same bytes).
/// </summary>
public sealed class SongGenerator(GeneratorSession session, StepScheduler? scheduler = null)
{
    /// <summary>The session the songs are generated with.</summary>
    public GeneratorSession Session { get; } = session;

    /// <summary>All songs of a request, in order.</summary>
    public IReadOnlyList<GeneratedSong> Generate(GenerationRequest request)
    {
        var resolved = request.Resolve(Session.Metadata);
        return [.. Enumerable.Range(0, Batches(resolved)).SelectMany(b => Batch(resolved, b, CancellationToken.None).GetAwaiter().GetResult())];
    }

    /// <inheritdoc cref="Generate"/>
    public async Task<IReadOnlyList<GeneratedSong>> GenerateAsync(GenerationRequest request, CancellationToken cancellation)
    {
        var resolved = request.Resolve(Session.Metadata);
        var batches = Enumerable.Range(0, Batches(resolved));
        return [.. (await Task.WhenAll(batches.Select(b => Batch(resolved, b, cancellation)))).SelectMany(songs => songs)];
    }

    /// <summary>How many batches a request runs in.</summary>
    public static int Batches(GenerationRequest request) => (request.Count + request.BatchSize - 1) / request.BatchSize;

    /// <summary>
    /// The songs of batch <paramref name="batch"/> (songs batch × size onwards): batches can be made in any order, or in parallel.
    /// </summary>
    public IReadOnlyList<GeneratedSong> GenerateBatch(GenerationRequest request, int batch) =>
        GenerateBatchAsync(request, batch, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="GenerateBatch"/>
    public Task<IReadOnlyList<GeneratedSong>> GenerateBatchAsync(GenerationRequest request, int batch, CancellationToken cancellation) =>
        Batch(request.Resolve(Session.Metadata), batch, cancellation);

    private async Task<IReadOnlyList<GeneratedSong>> Batch(GenerationRequest request, int batch, CancellationToken cancellation)
    {
        var first = batch * request.BatchSize;
        var count = Math.Min(request.BatchSize, request.Count - first);
        if (count <= 0)
            throw new ArgumentOutOfRangeException(nameof(batch), batch, $"The request has {Batches(request)} batches.");
        // A last, short batch still runs full size (the extra songs are dropped), so that a song's bytes depend on
        // its seed and the batch size alone, never on how many songs the request asks for. The scheduler's rows do
        // not depend on the batch at all (on the CPU, where it runs), so it runs only the songs asked for.
        var size = scheduler is null ? request.BatchSize : count;
        var seeds = Enumerable.Range(first, size).Select(i => unchecked(request.Seed + (ulong)i)).ToArray();
        var bpm = request.Bpm!.Value;
        var tempo = TempoMap.Constant(bpm);
        var encoding = Session.Metadata.Encoding;
        var keys = seeds[..count].Select(seed => encoding.KeyOf(request, seed)).ToArray();

        // For a duration, generate more steps until every song is long enough: the same seeds give the same
        // beginning however many steps follow.
        var steps = request.DurationSeconds is null ? request.Steps : GenerationRequest.DefaultSteps;
        while (true)
        {
            SongRow[] rows = [.. seeds.Select(seed => encoding.Row(request, seed, steps))];
            if (scheduler is null)
                Session.RunRows(rows);
            else
                await scheduler.RunAsync(rows, cancellation);
            var songs = rows[..count].Select((row, i) => encoding.Decode(row, keys[i], request.Program)).ToList();
            if (request.DurationSeconds is not { } seconds)
                return Finish(songs, first, seeds, keys, tempo);
            var quarters = seconds * bpm / 60;
            if (steps >= GenerationRequest.MaxSteps || songs.All(s => s.Count > 0 && s[^1].Onset >= quarters))
                return Finish([.. songs.Select(s => Cut(s, quarters))], first, seeds, keys, tempo);
            steps = Math.Min(GenerationRequest.MaxSteps, steps * 2);
        }
    }

    private static IReadOnlyList<GeneratedSong> Finish(
        List<IReadOnlyList<Tone>> songs,
        int first,
        ulong[] seeds,
        MusicalKey?[] keys,
        TempoMap tempo
    ) =>
        [
            .. songs.Select(
                (tones, i) => new GeneratedSong(first + i, seeds[i], new Song($"song-{first + i}", tones, tempo), ToneStatistics.Of(tones), keys[i])
            ),
        ];

    /// <summary>Tones that start within the first <paramref name="quarters"/>, ending there at the latest.</summary>
    private static IReadOnlyList<Tone> Cut(IReadOnlyList<Tone> tones, double quarters) =>
        [.. tones.Where(t => t.Onset < quarters).Select(t => t with { Duration = Math.Min(t.Duration, quarters - t.Onset) })];
}
