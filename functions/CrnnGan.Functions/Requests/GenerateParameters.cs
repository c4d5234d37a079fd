namespace CrnnGan.Functions.Requests;

public enum SongFormat
{
    Midi,
    Json,
    Zip,
}

/// <summary>What a caller asked of the generate endpoint, after validation; a missing seed has been drawn.</summary>
public sealed record GenerateParameters(ulong Seed, bool SeedDrawn, int Steps, int Count, double? Tempo, int Program, float NoiseScale, SongFormat Format);
