using CrnnGan.Inference.Features;
using CrnnGan.Inference.Music;
using CrnnGan.Inference.Statistics;

namespace CrnnGan.Inference.Generation;

/// <summary>
/// Turns requests into songs: runs a <see cref="GeneratorSession"/> batch by batch and decodes its steps into tones.
/// Given a <see cref="StepScheduler"/>, the songs share the scheduler's batch with other callers' (the same bytes).
/// </summary>
public sealed class SongGenerator(GeneratorSession session, StepScheduler? scheduler = null)
{
    public GeneratorSession Session { get; } = session;

    /// <summary>All songs of a request, in order.</summary>
    public IReadOnlyList<GeneratedSong> Generate(GenerationRequest request) =>
        [.. Enumerable.Range(0, Batches(request.Validate(Session.Metadata))).SelectMany(b => GenerateBatch(request, b))];

    /// <inheritdoc cref="Generate"/>
    public async Task<IReadOnlyList<GeneratedSong>> GenerateAsync(GenerationRequest request, CancellationToken cancellation)
    {
        var batches = Enumerable.Range(0, Batches(request.Validate(Session.Metadata)));
        return [.. (await Task.WhenAll(batches.Select(b => GenerateBatchAsync(request, b, cancellation)))).SelectMany(songs => songs)];
    }

    public static int Batches(GenerationRequest request) => (request.Count + request.BatchSize - 1) / request.BatchSize;

    /// <summary>
    /// The songs of batch <paramref name="batch"/> (songs batch × size onwards): batches can be made in any order, or in parallel.
    /// </summary>
    public IReadOnlyList<GeneratedSong> GenerateBatch(GenerationRequest request, int batch) =>
        GenerateBatchAsync(request, batch, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="GenerateBatch"/>
    public async Task<IReadOnlyList<GeneratedSong>> GenerateBatchAsync(GenerationRequest request, int batch, CancellationToken cancellation)
    {
        request.Validate(Session.Metadata);
        var first = batch * request.BatchSize;
        var count = Math.Min(request.BatchSize, request.Count - first);
        if (count <= 0)
            throw new ArgumentOutOfRangeException(nameof(batch), batch, $"The request has {Batches(request)} batches.");
        // A last, short batch still runs full size (the extra songs are dropped), so that a song's bytes depend on
        // its seed and the batch size alone, never on how many songs the request asks for. The scheduler's rows do
        // not depend on the batch at all (on the CPU, where it runs), so it runs only the songs asked for.
        var size = scheduler is null ? request.BatchSize : count;
        var seeds = Enumerable.Range(first, size).Select(i => unchecked(request.Seed + (ulong)i)).ToArray();
        var bpm = request.Bpm ?? Session.Metadata.DefaultTempoBpm;
        var tempo = TempoMap.Constant(bpm);
        var vocabulary = Session.Metadata.Vocabulary;
        MusicalKey?[] keys = [.. seeds[..count].Select(seed => vocabulary is null ? (MusicalKey?)null : request.Key ?? KeyOf(seed))];

        // For a duration, generate more steps until every song is long enough: the same seeds give the same
        // beginning however many steps follow.
        var steps = request.DurationSeconds is null ? request.Steps : GenerationRequest.DefaultSteps;
        while (true)
        {
            var songs = (
                vocabulary is null
                    ? await ContinuousSongsAsync(request, seeds, steps, cancellation)
                    : await ToneSongsAsync(request, vocabulary, seeds, keys, steps, cancellation)
            )[..count];
            if (request.DurationSeconds is not { } seconds)
                return Finish(songs, first, seeds, keys, tempo);
            var quarters = seconds * bpm / 60;
            if (steps >= GenerationRequest.MaxSteps || songs.All(s => s.Count > 0 && s[^1].Onset >= quarters))
                return Finish([.. songs.Select(s => Cut(s, quarters))], first, seeds, keys, tempo);
            steps = Math.Min(GenerationRequest.MaxSteps, steps * 2);
        }
    }

    private const ulong KeyStream = 0x6B6579UL;

    /// <summary>The key a song is placed in when the request names none: drawn from the song's seed alone.</summary>
    public static MusicalKey KeyOf(ulong seed) => MusicalKey.Random(new Randomness.SeededRandom(seed ^ KeyStream));

    private async Task<List<IReadOnlyList<Tone>>> ContinuousSongsAsync(
        GenerationRequest request,
        ulong[] seeds,
        int steps,
        CancellationToken cancellation
    )
    {
        var primer = Primer(request.Primer);
        var values = scheduler is null
            ? Session.Run(seeds.Length, steps, seeds, request.NoiseScale, primer)
            : await scheduler.RunAsync(steps, seeds, request.NoiseScale, primer, cancellation);
        return StepEncoder.DecodeModelSteps(values, seeds.Length, Session.Metadata.Layout, Session.Metadata.FeatureScale, request.Program);
    }

    /// <summary>The tone model's songs, each moved from C major / A minor into its key.</summary>
    private async Task<List<IReadOnlyList<Tone>>> ToneSongsAsync(
        GenerationRequest request,
        ToneVocabulary vocabulary,
        ulong[] seeds,
        MusicalKey?[] keys,
        int steps,
        CancellationToken cancellation
    )
    {
        var primer = request.Primer is { Count: > 0 } tones ? InC(vocabulary.Encode(tones)) : null;
        var temperature = request.Temperature ?? Session.Metadata.DefaultTemperature;
        var indices = scheduler is null
            ? Session.RunTones(seeds.Length, steps, seeds, temperature, request.NoiseScale, primer)
            : await scheduler.RunTonesAsync(steps, seeds, temperature, request.NoiseScale, primer, cancellation);
        var width = indices.Length / seeds.Length;
        return
        [
            .. Enumerable
                .Range(0, seeds.Length)
                .Select(i =>
                    (IReadOnlyList<Tone>)
                        vocabulary.Decode(indices.AsSpan(i * width, width), i < keys.Length ? keys[i]!.Value.Offset : 0, request.Program)
                ),
        ];
    }

    /// <summary>Tones as class indices moved to C major / A minor by their best-fitting scale, as the model was trained.</summary>
    private static int[] InC(int[] indices)
    {
        var heads = ToneVocabulary.Heads.Count;
        var pitches = Enumerable.Range(0, indices.Length / heads).Select(t => indices[t * heads + ToneVocabulary.PitchHead]).ToArray();
        var shift = Scale.BestFit(pitches).ShiftToC;
        for (var t = 0; t < pitches.Length; t++)
            indices[t * heads + ToneVocabulary.PitchHead] = Math.Clamp(pitches[t] + shift, 0, ToneVocabulary.Pitches - 1);
        return indices;
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

    /// <summary>The primer's tones as model steps (normalised), or null.</summary>
    private float[]? Primer(IReadOnlyList<Tone>? tones)
    {
        if (tones is null || tones.Count == 0)
            return null;
        var values = StepEncoder.Encode(tones, Session.Metadata.Layout).Values;
        FeatureScaling.Normalise(values, Session.Metadata.FeatureScale);
        return values;
    }
}
