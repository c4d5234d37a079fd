using System.Globalization;
using System.Text.Json.Serialization;
using CrnnGan.Inference.Generation.Encodings;

namespace CrnnGan.Inference.Generation;

/// <summary>
/// What an exported generator says about itself in its ONNX metadata_props (keys "crnngan.*"), so that a consumer
/// needs nothing but the .onnx file: what every generator has (its sizes, its training, its weights) and its family's
/// part, <see cref="Encoding"/>, chosen by the contract version.
/// </summary>
public sealed record ModelMetadata(
    [property: JsonIgnore] SongEncoding Encoding,
    int NoiseSize,
    int HiddenSize,
    int Layers,
    string TrainingCorpus,
    int Epochs,
    ulong Seed,
    string CodeVersion
)
{
    /// <summary>The prefix of every metadata key the exporter writes.</summary>
    public const string Prefix = "crnngan.";

    /// <summary>The exporter's weights: 32-bit floats, as trained. A quantized model names its own in crnngan.weights.</summary>
    public const string Fp32 = "fp32";

    /// <summary>The noise every exported generator reads: uniform in [0, 1), as the paper's.</summary>
    public const string UniformNoise = "uniform[0,1)";

    /// <summary>The tempo songs are written at when a request names none (beats per minute).</summary>
    public double DefaultTempoBpm { get; init; } = 120;

    /// <summary>How the weights are stored: <see cref="Fp32"/>, or a quantizer's name.</summary>
    public string Weights { get; init; } = Fp32;

    /// <summary>The contract version of the model's family (<see cref="SongEncoding.ContractVersion"/>).</summary>
    public int ContractVersion => Encoding.ContractVersion;

    /// <summary>The family's part as JSON shows it: every property of its own type (the declared type would show the base's alone).</summary>
    [JsonPropertyName("encoding")]
    public object EncodingDocument => Encoding;

    /// <summary>How many features each step has.</summary>
    public int Features => Encoding.Features;

    /// <summary>The names of each step's features.</summary>
    public IReadOnlyList<string> FeatureNames => Encoding.FeatureNames;

    /// <summary>
    /// The model's encoding as <typeparamref name="T"/>, for a tool that works with one family alone; <paramref name="use"/>
    /// says what needs it, for the error.
    /// </summary>
    /// <exception cref="InvalidDataException">The model is of another family.</exception>
    public T EncodingAs<T>(string use)
        where T : SongEncoding => Encoding as T ?? throw new InvalidDataException($"{use}; this is {Encoding.Description}.");

    /// <summary>What is wrong with the model's sampling defaults, or null.</summary>
    public string? SamplingProblem() => Encoding.SamplingProblem();

    /// <summary>
    /// The metadata as the ONNX file's key-value pairs, as the exporter writes them and <see cref="Encodings.MetadataReader"/> reads them.
    /// </summary>
    public IReadOnlyDictionary<string, string> ToProperties()
    {
        var properties = Encoding.Properties(NoiseSize).ToDictionary();
        properties[Prefix + "hidden_size"] = Text(HiddenSize);
        properties[Prefix + "layers"] = Text(Layers);
        properties[Prefix + "default_tempo_bpm"] = DefaultTempoBpm.ToString(CultureInfo.InvariantCulture);
        properties[Prefix + "training_corpus"] = TrainingCorpus;
        properties[Prefix + "epochs"] = Text(Epochs);
        properties[Prefix + "seed"] = Seed.ToString(CultureInfo.InvariantCulture);
        properties[Prefix + "code_version"] = CodeVersion;
        if (Weights != Fp32)
            properties[Prefix + "weights"] = Weights;
        return properties;
    }

    /// <summary>The keys <see cref="ToProperties"/> writes for every model besides its encoding's (which hold the noise's).</summary>
    public static IReadOnlyList<string> CommonKeys { get; } =
    [.. "hidden_size layers default_tempo_bpm training_corpus epochs seed code_version".Split(' ').Select(k => Prefix + k)];

    /// <exception cref="InvalidDataException">A key is missing or a value cannot be used; the message names it.</exception>
    public static ModelMetadata Parse(IReadOnlyDictionary<string, string> properties)
    {
        if (!properties.ContainsKey(Prefix + "contract_version"))
            throw new InvalidDataException($"The model's metadata lacks {Prefix}contract_version: it was not exported by crnngan-train export.");
        var encoding = SongEncoding.Parse(properties);
        var read = new MetadataReader(properties, CommonKeys);
        if (read.Text("noise_distribution") != UniformNoise)
            throw new InvalidDataException($"The model wants {read.Text("noise_distribution")} noise; this library draws {UniformNoise}.");
        if (
            !double.TryParse(read.Text("default_tempo_bpm"), NumberStyles.Float, CultureInfo.InvariantCulture, out var bpm)
            || !(bpm is > 0 and <= 1000)
        )
            throw new InvalidDataException($"The model's metadata {Prefix}default_tempo_bpm = '{read.Text("default_tempo_bpm")}' is not a tempo.");
        if (!ulong.TryParse(read.Text("seed"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed))
            throw new InvalidDataException($"The model's metadata {Prefix}seed = '{read.Text("seed")}' is not a seed.");
        return new ModelMetadata(
            encoding,
            read.Int("noise_size", 1),
            read.Int("hidden_size", 1),
            read.Int("layers", 1),
            read.Text("training_corpus"),
            read.Int("epochs", 0),
            seed,
            read.Text("code_version")
        )
        {
            DefaultTempoBpm = bpm,
            Weights = read.Optional("weights") ?? Fp32,
        };
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
