namespace CrnnGan.Inference.Datasets;

/// <summary>The settings that make a dataset: two runs with equal settings make equal files.</summary>
public sealed record DatasetSettings(
    string Model,
    string Format,
    int Steps,
    double? DurationSeconds,
    double Bpm,
    int Program,
    float NoiseScale,
    string? Primer,
    int BatchSize,
    ulong Seed,
    float? Temperature = null,
    string? Key = null
);

/// <summary>One line of manifest.jsonl: a file of the dataset, the seed that makes it, its settings and statistics.</summary>
/// <param name="Key">The key the song was placed in (models of the tone family).</param>
public sealed record ManifestEntry(
    string File,
    int Index,
    ulong Seed,
    int Notes,
    double LengthSeconds,
    DatasetSettings Settings,
    IReadOnlyDictionary<string, double> Statistics,
    string? Key = null
);
