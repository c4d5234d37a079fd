using System.Globalization;

namespace CrnnGan.Inference.Generation.Encodings;

/// <summary>
/// Reads a model's metadata properties (keys "crnngan.*") for <see cref="ModelMetadata"/> and the encodings: the keys a
/// contract version requires are checked at once, and a value that cannot be used is refused with its key named.
/// </summary>
internal sealed class MetadataReader
{
    private readonly IReadOnlyDictionary<string, string> _properties;

    /// <exception cref="InvalidDataException">A required key is missing; the message names each.</exception>
    public MetadataReader(IReadOnlyDictionary<string, string> properties, IEnumerable<string> required)
    {
        _properties = properties;
        var missing = required.Where(k => !properties.ContainsKey(k)).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException(
                $"The model's metadata lacks {string.Join(", ", missing)}: it was not exported by crnngan-train export, or by an incompatible "
                    + "version."
            );
    }

    public string Text(string key) => _properties[ModelMetadata.Prefix + key];

    public string? Optional(string key) => _properties.GetValueOrDefault(ModelMetadata.Prefix + key);

    public int Int(string key, int min) =>
        int.TryParse(Text(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min
            ? v
            : throw Unusable(key, $"a whole number of at least {min}");

    public float Single(string key, string? fallback = null)
    {
        var text = Optional(key) ?? fallback ?? Text(key);
        return float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidDataException($"The model's metadata {ModelMetadata.Prefix}{key} = '{text}' is not a number.");
    }

    /// <summary>An optional switch: true or false, false when absent.</summary>
    public bool Flag(string key) =>
        Optional(key) switch
        {
            null or "false" => false,
            "true" => true,
            _ => throw Unusable(key, "true or false"),
        };

    public InvalidDataException Unusable(string key, string what) =>
        new($"The model's metadata {ModelMetadata.Prefix}{key} = '{Text(key)}' is not {what}.");
}
