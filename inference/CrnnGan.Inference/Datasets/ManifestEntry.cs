using CrnnGan.Inference.Generation;
using CrnnGan.Inference.Music;

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
    string? Key = null,
    float? TopP = null,
    string? Timing = null
)
{
    /// <summary>
    /// The settings of a request resolved against its model (<see cref="GenerationRequest.Resolve"/>): the values used, so
    /// that they alone remake the songs.
    /// </summary>
    public static DatasetSettings Of(GenerationRequest resolved, string modelName, string format, string? primer = null) =>
        new(
            modelName,
            format,
            resolved.Steps,
            resolved.DurationSeconds,
            resolved.Bpm
                ?? throw new ArgumentException("A dataset records a resolved request: call GenerationRequest.Resolve first.", nameof(resolved)),
            resolved.Program,
            resolved.NoiseScale,
            primer,
            resolved.BatchSize,
            resolved.Seed,
            resolved.Temperature,
            resolved.Key?.ToString(),
            resolved.TopP,
            resolved.Timing is { } timing ? SongTimingNames.Name(timing) : null
        );

    /// <summary>The request that makes <paramref name="count"/> songs with these settings (a primer is the caller's to read).</summary>
    public GenerationRequest Request(int count) =>
        new()
        {
            Count = count,
            Steps = Steps,
            DurationSeconds = DurationSeconds,
            Seed = Seed,
            Bpm = Bpm,
            Program = Program,
            NoiseScale = NoiseScale,
            Temperature = Temperature,
            TopP = TopP,
            Key = Key is { } key && MusicalKey.TryParse(key, out var parsed) ? parsed : null,
            Timing = Timing is { } timing && SongTimingNames.TryParse(timing, out var songTiming) ? songTiming : null,
            BatchSize = BatchSize,
        };
}

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
