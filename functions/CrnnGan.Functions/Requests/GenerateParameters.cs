using CrnnGan.Inference.Generation;

namespace CrnnGan.Functions.Requests;

public enum SongFormat
{
    Midi,
    Json,
    Zip,
}

/// <summary>
/// A call of the generate or datasets endpoint, parsed and validated once: the generation request resolved against the
/// model (every default filled in, as used), how the songs are sent back, whether the seed was drawn for the caller,
/// and a dataset job's <see cref="Name"/>.
/// </summary>
public sealed record GenerateParameters(GenerationRequest Request, SongFormat Format, bool SeedDrawn, string? Name = null);
