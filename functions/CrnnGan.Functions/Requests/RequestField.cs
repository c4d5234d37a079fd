namespace CrnnGan.Functions.Requests;

/// <summary>
/// One field that generate or datasets accepts, as a JSON Schema keyword set: its type, bounds, values and meaning.
/// The parser knows fields by these (an unknown name is a 400), and the OpenAPI document is written from them; a test
/// sends each bound and just past it, so the document's limits are the ones the validation applies.
/// </summary>
public sealed record RequestField(string Name, string Type, string Description)
{
    /// <summary>JSON Schema's format of the type (uint64, int32, double, float).</summary>
    public string? Format { get; init; }

    public double? Minimum { get; init; }

    /// <summary>Above <see cref="Minimum"/>, not at it.</summary>
    public bool ExclusiveMinimum { get; init; }

    public double? Maximum { get; init; }

    /// <summary>The one bound a double cannot hold exactly: the seed's, 2^64 − 1.</summary>
    public ulong? IntegerMaximum { get; init; }

    public IReadOnlyList<string>? Values { get; init; }

    public string? Pattern { get; init; }

    /// <summary>The value taken when the field is left out, as JSON text (null: none, or one that depends on the model).</summary>
    public string? Default { get; init; }
}
