using CrnnGan.Inference.Music;

namespace CrnnGan.Inference.Generation;

/// <summary>
/// What to generate. Song i of a request uses seed <see cref="Seed"/> + i, so that any one song can be made
/// again on its own. Songs are generated in batches of <see cref="BatchSize"/> (song i in batch i ÷ size); the
/// same seed, model, settings and batch size give the same bytes, however many songs are asked for.
/// </summary>
public sealed record GenerationRequest
{
    public const int MaxSteps = 100_000;
    public const int MaxCount = 1_000_000;
    public const double MaxDurationSeconds = 3600;

    public int Count { get; init; } = 1;

    /// <summary>Steps to generate after the primer (one step is one tone, or a chord of up to k tones).</summary>
    public int Steps { get; init; } = 256;

    /// <summary>When set, generate until each song lasts this long (at <see cref="Bpm"/>) and cut it there; <see cref="Steps"/> is then ignored.</summary>
    public double? DurationSeconds { get; init; }

    public ulong Seed { get; init; }

    /// <summary>Tempo of the written MIDI; null uses the model's default.</summary>
    public double? Bpm { get; init; }

    /// <summary>General MIDI program of every tone (0 is the acoustic grand piano).</summary>
    public int Program { get; init; }

    /// <summary>Spread of the noise around its mean: 1 as trained, below 1 tamer, above 1 wilder.</summary>
    public float NoiseScale { get; init; } = 1f;

    /// <summary>
    /// Models of the tone family: each head's class is drawn from softmax(logits / temperature); 1 as trained,
    /// below 1 safer and more repetitive, 0 always the likeliest class.
    /// </summary>
    public float Temperature { get; init; } = 1f;

    /// <summary>Models of the tone family: the key every song is placed in; null draws one per song from its seed.</summary>
    public MusicalKey? Key { get; init; }

    /// <summary>Tones that the model continues: fed in as its previous outputs, and kept at the start of each song.</summary>
    public IReadOnlyList<Tone>? Primer { get; init; }

    public int BatchSize { get; init; } = 16;

    /// <summary>Every setting out of range, each naming the setting; empty when the request can run.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Count is < 1 or > MaxCount)
            problems.Add($"count must be between 1 and {MaxCount}, not {Count}");
        if (Steps is < 1 or > MaxSteps)
            problems.Add($"steps must be between 1 and {MaxSteps}, not {Steps}");
        if (DurationSeconds is { } d && !(d is > 0 and <= MaxDurationSeconds))
            problems.Add($"duration must be above 0 and at most {MaxDurationSeconds} seconds, not {d}");
        if (Bpm is { } bpm && !(bpm is >= 10 and <= 400))
            problems.Add($"tempo must be between 10 and 400 BPM, not {bpm}");
        if (Program is < 0 or > 127)
            problems.Add($"program must be a General MIDI program between 0 and 127, not {Program}");
        if (!(NoiseScale is >= 0 and <= 10))
            problems.Add($"noise scale must be between 0 and 10, not {NoiseScale}");
        if (!(Temperature is >= 0 and <= 10))
            problems.Add($"temperature must be between 0 and 10, not {Temperature}");
        if (BatchSize is < 1 or > 4096)
            problems.Add($"batch size must be between 1 and 4096, not {BatchSize}");
        return problems;
    }

    /// <exception cref="ArgumentException">Some setting is out of range; the message names each.</exception>
    public GenerationRequest Validate() =>
        Problems() is { Count: > 0 } problems ? throw new ArgumentException(string.Join("; ", problems) + ".") : this;
}
