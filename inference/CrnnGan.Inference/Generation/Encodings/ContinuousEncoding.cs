using System.Globalization;
using CrnnGan.Inference.Generation.Steps;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace CrnnGan.Inference.Generation.Encodings;

/// <summary>
/// The paper's continuous steps (contract version 1): each step <see cref="Layout"/>'s features in model units, which
/// <see cref="FeatureScale"/> turns into musical ones (musical = model ÷ scale).
/// </summary>
public sealed record ContinuousEncoding(StepLayout Layout, IReadOnlyList<float> FeatureScale) : SongEncoding
{
    /// <summary>The contract version of the paper's continuous model.</summary>
    public const int Version = ModelContract.Version;

    /// <inheritdoc/>
    public override int ContractVersion => Version;

    /// <inheritdoc/>
    public override string Description => "the paper's continuous model (contract version 1)";

    /// <summary>How many tones one step holds.</summary>
    public int TonesPerStep => Layout.TonesPerStep;

    /// <inheritdoc/>
    public override IReadOnlyList<string> FeatureNames => Layout.FeatureNames;

    /// <inheritdoc/>
    public override IReadOnlyList<string> FeatureUnits => [.. FeatureNames.Select(UnitOf)];

    /// <inheritdoc/>
    public override IEnumerable<KeyValuePair<string, string>> Properties(int noiseSize)
    {
        const string prefix = ModelMetadata.Prefix;
        yield return new(prefix + "contract_version", Version.ToString(CultureInfo.InvariantCulture));
        yield return new(prefix + "tones_per_step", TonesPerStep.ToString(CultureInfo.InvariantCulture));
        yield return new(prefix + "features", string.Join(',', FeatureNames));
        yield return new(prefix + "feature_units", string.Join(',', FeatureUnits));
        yield return new(prefix + "feature_scale", string.Join(',', FeatureScale.Select(f => f.ToString("R", CultureInfo.InvariantCulture))));
        yield return new(prefix + "normalisation", "model value = musical value × feature_scale; musical value = model value ÷ feature_scale");
        yield return new(prefix + "noise_size", noiseSize.ToString(CultureInfo.InvariantCulture));
        yield return new(prefix + "noise_distribution", ModelMetadata.UniformNoise);
        yield return new(prefix + "first_previous", $"{ModelMetadata.UniformNoise} in model units, one value per feature");
    }

    /// <summary>Every key <see cref="Properties"/> always writes; a model without one of them is refused.</summary>
    public static IReadOnlyList<string> Keys { get; } =
    [.. new ContinuousEncoding(StepLayout.Monophonic, FeatureScaling.Factors(StepLayout.Monophonic)).Properties(1).Select(p => p.Key)];

    internal static ContinuousEncoding FromProperties(IReadOnlyDictionary<string, string> properties)
    {
        var read = new MetadataReader(properties, Keys);
        var tones = read.Int("tones_per_step", 1);
        var names = read.Text("features").Split(',');
        var layout = new StepLayout(tones);
        if (!names.SequenceEqual(layout.FeatureNames))
            throw new InvalidDataException($"The model's features ({read.Text("features")}) are not the layout of {tones} tone(s) per step.");
        var scale = read.Text("feature_scale")
            .Split(',')
            .Select(s =>
                float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && f > 0
                    ? f
                    : throw new InvalidDataException($"The model's metadata {ModelMetadata.Prefix}feature_scale holds '{s}', not a positive number.")
            )
            .ToList();
        if (scale.Count != names.Length)
            throw new InvalidDataException($"The model gives {scale.Count} feature scales for {names.Length} features.");
        return new ContinuousEncoding(layout, scale);
    }

    internal override StepValue Previous => new(ModelContract.Previous, TensorElementType.Float, [Features]);

    internal override IReadOnlyList<StepValue> Outputs => [new(ModelContract.Output, TensorElementType.Float, [Features])];

    internal override IEnumerable<GenerationProblem> Problems(GenerationRequest request)
    {
        const string family = "applies to models of the tone family (contract version 2 and later); this is the paper's continuous model";
        if (request.Key is not null)
            yield return new GenerationProblem("key", $"key {family}, which has no key");
        if (request.Temperature is not null)
            yield return new GenerationProblem("temperature", $"temperature {family}, which does not sample classes");
        if (request.TopP is not null)
            yield return new GenerationProblem("topP", $"topP {family}, which does not sample classes");
        if (request.Timing is not null)
            yield return new GenerationProblem("timing", $"timing {family}, which does not read its song's timing");
    }

    internal override GenerationRequest Applicable(GenerationRequest request) =>
        request with
        {
            Key = null,
            Temperature = null,
            TopP = null,
            Timing = null,
        };

    internal override GenerationRequest Resolve(GenerationRequest request) => request;

    internal override MusicalKey? KeyOf(GenerationRequest request, ulong seed) => null;

    internal override SongRow Row(GenerationRequest request, ulong seed, int steps) => Row(seed, steps, request.NoiseScale, Primer(request.Primer));

    /// <summary>A song's row, its arguments checked as <see cref="GeneratorSession.Run"/> documents them.</summary>
    internal ContinuousRow Row(ulong seed, int steps, float noiseScale, float[]? primer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        if (primer is not null && primer.Length % Features != 0)
            throw new ArgumentException($"A primer of {primer.Length} values is not whole steps of {Features} features.", nameof(primer));
        return new ContinuousRow(seed, steps, noiseScale, primer, Features);
    }

    internal override IReadOnlyList<Tone> Decode(SongRow row, MusicalKey? key, int program) =>
        StepEncoder.DecodeModelSteps([.. ((ContinuousRow)row).Result], 1, Layout, FeatureScale, program)[0];

    /// <summary>The primer's tones as model steps (normalised), or null.</summary>
    private float[]? Primer(IReadOnlyList<Tone>? tones)
    {
        if (tones is null || tones.Count == 0)
            return null;
        var values = StepEncoder.Encode(tones, Layout).Values;
        FeatureScaling.Normalise(values, FeatureScale);
        return values;
    }

    private static string UnitOf(string feature) =>
        feature switch
        {
            "time_delta" => "quarter notes",
            _ when feature.StartsWith("length", StringComparison.Ordinal) => "quarter notes",
            _ when feature.StartsWith("pitch", StringComparison.Ordinal) => "MIDI note",
            _ => "MIDI velocity",
        };

    /// <summary>Equal when the layout and every scale factor are equal.</summary>
    public bool Equals(ContinuousEncoding? other) => other is not null && Layout == other.Layout && FeatureScale.SequenceEqual(other.FeatureScale);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Layout, FeatureScale.Count);
}
