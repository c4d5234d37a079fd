using CrnnGan.Inference.Music;

namespace CrnnGan.Functions.Requests;

public enum SongFormat
{
    Midi,
    Json,
    Zip,
}

/// <summary>
/// What a caller asked of the generate endpoint, after validation; a missing seed has been drawn. A missing key
/// (tone models) is drawn per song from its seed. <see cref="Name"/> names a dataset job; <see cref="Duration"/>
/// (seconds), when given, sets the songs' length instead of <see cref="Steps"/>.
/// </summary>
public sealed record GenerateParameters(
    ulong Seed,
    bool SeedDrawn,
    int Steps,
    int Count,
    double? Tempo,
    int Program,
    float NoiseScale,
    float? Temperature,
    MusicalKey? Key,
    SongFormat Format,
    string? Name = null,
    double? Duration = null
);
