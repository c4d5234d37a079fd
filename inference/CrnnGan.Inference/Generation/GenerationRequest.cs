using CrnnGan.Inference.Music;

namespace CrnnGan.Inference.Generation;

/// <summary>
/// What to generate. Song i of a request uses seed <see cref="Seed"/> + i, so that any one song can be made
/// again on its own. Songs are generated in batches of <see cref="BatchSize"/> (song i in batch i ÷ size); the
/// same seed, model, settings and batch size give the same bytes, however many songs are asked for.
/// </summary>
public sealed record GenerationRequest
{
    /// <summary>The most steps a song may have.</summary>
    public const int MaxSteps = 100_000;

    /// <summary>The most songs one request may ask for.</summary>
    public const int MaxCount = 1_000_000;

    /// <summary>The longest song, in seconds, one request may ask for.</summary>
    public const double MaxDurationSeconds = 3600;

    /// <summary>The slowest tempo a song may be written at (beats per minute).</summary>
    public const double MinBpm = 10;

    /// <summary>The fastest tempo a song may be written at (beats per minute).</summary>
    public const double MaxBpm = 400;

    /// <summary>The highest General MIDI program.</summary>
    public const int MaxProgram = 127;

    /// <summary>The largest noise scale.</summary>
    public const float MaxNoiseScale = 10;

    /// <summary>The highest temperature.</summary>
    public const float MaxTemperature = 10;

    /// <summary>The most songs one batch may step at once.</summary>
    public const int MaxBatchSize = 4096;

    /// <summary>Steps of a song when a request names none, and the first try of a request for a duration.</summary>
    public const int DefaultSteps = 256;

    /// <summary>How many songs to generate.</summary>
    public int Count { get; init; } = 1;

    /// <summary>Steps to generate after the primer (one step is one tone, or a chord of up to k tones).</summary>
    public int Steps { get; init; } = DefaultSteps;

    /// <summary>
    /// When set, generate until each song lasts this long (at <see cref="Bpm"/>) and cut it there; <see cref="Steps"/> is then ignored.
    /// </summary>
    public double? DurationSeconds { get; init; }

    /// <summary>The first song's seed; song i uses this + i.</summary>
    public ulong Seed { get; init; }

    /// <summary>Tempo of the written MIDI; null uses the model's default.</summary>
    public double? Bpm { get; init; }

    /// <summary>General MIDI program of every tone (0 is the acoustic grand piano).</summary>
    public int Program { get; init; }

    /// <summary>Spread of the noise around its mean: 1 as trained, below 1 tamer, above 1 wilder.</summary>
    public float NoiseScale { get; init; } = 1f;

    /// <summary>
    /// Models of the tone family: each head's class is drawn from softmax(logits / temperature); 1 as trained,
    /// below 1 safer and more repetitive, 0 always the likeliest class. Null uses the model's default
    /// (<see cref="Encodings.ToneEncoding.DefaultTemperature"/>).
    /// </summary>
    public float? Temperature { get; init; }

    /// <summary>
    /// Models of the tone family: pitch and time are drawn from their nucleus, the likeliest classes whose probabilities
    /// add up to this (above 0, at most 1; 1 the whole distribution). Null uses the model's default
    /// (<see cref="Encodings.ToneEncoding.DefaultTopP"/>).
    /// </summary>
    public float? TopP { get; init; }

    /// <summary>Models of the tone family: the key every song is placed in; null draws one per song from its seed.</summary>
    public MusicalKey? Key { get; init; }

    /// <summary>
    /// Models that read their song's timing (contract version 6): every song metered or free; null draws each song's from
    /// its seed, metered with the model's share (<see cref="Encodings.ToneEncoding.TimingOf"/>).
    /// </summary>
    public SongTiming? Timing { get; init; }

    /// <summary>Tones that the model continues: fed in as its previous outputs, and kept at the start of each song.</summary>
    public IReadOnlyList<Tone>? Primer { get; init; }

    /// <summary>How many songs step together: part of what the bytes depend on (see above).</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>
    /// Every setting out of range, each with the field it concerns (as the HTTP API names it), and, given
    /// <paramref name="model"/>, every setting that does not apply to its family; empty when the request can run.
    /// </summary>
    public IReadOnlyList<GenerationProblem> Problems(ModelMetadata? model = null)
    {
        var problems = new List<GenerationProblem>();
        void Require(bool ok, string field, string message)
        {
            if (!ok)
                problems.Add(new GenerationProblem(field, message));
        }

        Require(Count is >= 1 and <= MaxCount, "count", $"count must be between 1 and {MaxCount}, not {Count}");
        Require(Steps is >= 1 and <= MaxSteps, "steps", $"steps must be between 1 and {MaxSteps}, not {Steps}");
        Require(
            DurationSeconds is not { } d || d is > 0 and <= MaxDurationSeconds,
            "duration",
            $"duration must be above 0 and at most {MaxDurationSeconds} seconds, not {DurationSeconds}"
        );
        Require(Bpm is not { } bpm || bpm is >= MinBpm and <= MaxBpm, "tempo", $"tempo must be between {MinBpm} and {MaxBpm} BPM, not {Bpm}");
        Require(Program is >= 0 and <= MaxProgram, "program", $"program must be a General MIDI program between 0 and {MaxProgram}, not {Program}");
        Require(NoiseScale is >= 0 and <= MaxNoiseScale, "noiseScale", $"noise scale must be between 0 and {MaxNoiseScale}, not {NoiseScale}");
        Require(
            Temperature is null or (>= 0 and <= MaxTemperature),
            "temperature",
            $"temperature must be between 0 and {MaxTemperature}, not {Temperature}"
        );
        Require(TopP is null or (> 0 and <= 1), "topP", $"topP must be above 0 and at most 1, not {TopP}");
        Require(BatchSize is >= 1 and <= MaxBatchSize, "batchSize", $"batch size must be between 1 and {MaxBatchSize}, not {BatchSize}");
        if (model is not null)
            problems.AddRange(model.Encoding.Problems(this));
        return problems;
    }

    /// <summary>
    /// The settings of this request that apply to <paramref name="model"/>'s family: one request for models of several
    /// families (e.g. a temperature, which only the tone family samples with) leaves out what one of them does not take.
    /// </summary>
    public GenerationRequest ApplicableTo(ModelMetadata model) => model.Encoding.Applicable(this);

    /// <summary>
    /// The request checked against <paramref name="model"/> and its defaults resolved (the model's tempo, and its family's
    /// sampling defaults such as the tone family's temperature): what the step loop runs and a manifest records as used.
    /// The one place where defaults are filled in.
    /// </summary>
    public (GenerationRequest? Resolved, IReadOnlyList<GenerationProblem> Problems) TryResolve(ModelMetadata model) =>
        Problems(model) is { Count: > 0 } problems
            ? (null, problems)
            : (model.Encoding.Resolve(this with { Bpm = Bpm ?? model.DefaultTempoBpm }), []);

    /// <inheritdoc cref="TryResolve"/>
    /// <exception cref="ArgumentException">Some setting is out of range or does not apply to the model; the message names each.</exception>
    public GenerationRequest Resolve(ModelMetadata model) =>
        TryResolve(model) is ({ } resolved, _) ? resolved : throw new ArgumentException(Describe(Problems(model)));

    private static string Describe(IReadOnlyList<GenerationProblem> problems) => string.Join("; ", problems.Select(p => p.Message)) + ".";
}

/// <summary>A setting of a <see cref="GenerationRequest"/> out of range: the field it concerns and what is wrong.</summary>
public sealed record GenerationProblem(string Field, string Message);
