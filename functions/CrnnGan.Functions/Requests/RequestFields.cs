using CrnnGan.Functions.Hosting;
using CrnnGan.Inference.Generation;
using CrnnGan.Inference.Music;

namespace CrnnGan.Functions.Requests;

/// <summary>The fields of generate and datasets, with the limits this app applies to them (<see cref="GenerationOptions"/>).</summary>
public static class RequestFields
{
    private const string ToneFamily = " Models of the tone family only (contract version 2 and later).";

    /// <summary>A name of a dataset: what <see cref="GenerateRequestParser"/> accepts.</summary>
    public const string NamePattern = "^[A-Za-z0-9 ._-]{1,100}$";

    /// <summary>A key as <see cref="Inference.Music.MusicalKey.TryParse"/> reads it, or random.</summary>
    public const string KeyPattern = "^\\s*(random|[A-Ga-g][#b]?\\s*(m|min|minor|maj|major)?\\s*)$";

    /// <summary>The fields one endpoint takes: the song fields with its limits, and a dataset's name where it takes one.</summary>
    public static IReadOnlyList<RequestField> For(GenerationOptions options, int maxCount, IReadOnlyList<SongFormat> formats, bool named)
    {
        RequestField[] song =
        [
            new("seed", "integer", "Song i is made from seed + i; the same seed, model and settings give the same bytes. Drawn when left out.")
            {
                Format = "uint64",
                Minimum = 0,
                IntegerMaximum = ulong.MaxValue,
            },
            new("steps", "integer", "Tones (one step each) of every song. Give steps or duration, not both.")
            {
                Format = "int32",
                Minimum = 1,
                Maximum = options.MaxSteps,
                Default = $"{options.DefaultSteps}",
            },
            new("duration", "number", "Seconds each song lasts, cut at that time (instead of steps).")
            {
                Format = "double",
                Minimum = 0,
                ExclusiveMinimum = true,
                Maximum = options.MaxDurationSeconds,
            },
            new("count", "integer", "Songs to make.")
            {
                Format = "int32",
                Minimum = 1,
                Maximum = maxCount,
                Default = "1",
            },
            new("tempo", "number", "Beats per minute of the written MIDI; the model's default when left out.")
            {
                Format = "double",
                Minimum = GenerationRequest.MinBpm,
                Maximum = GenerationRequest.MaxBpm,
            },
            new("program", "integer", "General MIDI program of every tone (0: acoustic grand piano).")
            {
                Format = "int32",
                Minimum = 0,
                Maximum = GenerationRequest.MaxProgram,
                Default = "0",
            },
            new("noiseScale", "number", "Spread of the generator's noise: 1 as trained, below 1 tamer, above 1 wilder.")
            {
                Format = "float",
                Minimum = 0,
                Maximum = GenerationRequest.MaxNoiseScale,
                Default = "1",
            },
            new(
                "temperature",
                "number",
                "Each class is drawn from softmax(logits / temperature): 1 as trained, 0 the likeliest class; the model's default when left out."
                    + ToneFamily
            )
            {
                Format = "float",
                Minimum = 0,
                Maximum = GenerationRequest.MaxTemperature,
            },
            new(
                "topP",
                "number",
                "Pitch and time are drawn from the likeliest classes that add up to this; the model's default when left out." + ToneFamily
            )
            {
                Format = "float",
                Minimum = 0,
                ExclusiveMinimum = true,
                Maximum = 1,
            },
            new("key", "string", "The key every song is placed in (C, F#m, Bb minor...), or random: one drawn from each song's seed." + ToneFamily)
            {
                Pattern = KeyPattern,
                Default = "\"random\"",
            },
            new(
                "timing",
                "string",
                "metered or free for every song, or random: each drawn from its seed. Models that read their song's timing (versions 6 to 9)."
            )
            {
                Values = SongTimingNames.All,
                Default = "\"random\"",
            },
            new("format", "string", "midi: one MIDI file; zip: MIDI files and a manifest; json: each song's tones and its MIDI in base64.")
            {
                Values = [.. formats.Select(f => f.ToString().ToLowerInvariant())],
            },
        ];
        return named ? [.. song, new("name", "string", "A name for the dataset, kept in its status and manifest.") { Pattern = NamePattern }] : song;
    }
}
