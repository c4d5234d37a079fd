namespace CrnnGan.Cli.Datasets;

/// <summary>The settings that make a dataset: two runs with equal settings make equal files.</summary>
public sealed record DatasetSettings(
    string Model, string Format, int Steps, double? DurationSeconds, double Bpm, int Program, float NoiseScale, string? Primer, int BatchSize, ulong Seed);

/// <summary>One line of manifest.jsonl: a file of the dataset, the seed that makes it, its settings and statistics.</summary>
public sealed record ManifestEntry(string File, int Index, ulong Seed, int Notes, double LengthSeconds, DatasetSettings Settings, IReadOnlyDictionary<string, double> Statistics);
