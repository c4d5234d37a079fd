using System.Globalization;
using CrnnGan.Inference.Features;

namespace CrnnGan.Inference.Generation;

/// <summary>
/// What an exported generator says about itself in its ONNX metadata_props (keys "crnngan.*"), so that a
/// consumer needs nothing but the .onnx file. A model of the tone family (contract versions 2 and 3) has a
/// <see cref="Vocabulary"/> and no feature scale; its features are its heads.
/// </summary>
public sealed record ModelMetadata(
    int ContractVersion,
    int TonesPerStep,
    IReadOnlyList<string> FeatureNames,
    IReadOnlyList<string> FeatureUnits,
    IReadOnlyList<float> FeatureScale,
    int NoiseSize,
    string NoiseDistribution,
    int HiddenSize,
    int Layers,
    double DefaultTempoBpm,
    string TrainingCorpus,
    int Epochs,
    ulong Seed,
    string CodeVersion,
    ToneVocabulary? Vocabulary = null,
    float DefaultTemperature = 1f,
    string Weights = ModelMetadata.Fp32,
    float LengthTemperature = 1f,
    IReadOnlyList<float>? LengthBias = null
)
{
    public const string Prefix = "crnngan.";

    /// <summary>The exporter's weights: 32-bit floats, as trained. A quantized model names its own in crnngan.weights.</summary>
    public const string Fp32 = "fp32";
    public const string UniformNoise = "uniform[0,1)";

    /// <summary>What the tone family's training did to keys, and so what the host does to place a song in one.</summary>
    public const string KeyNormalisation =
        "training windows transposed to C major / A minor by their best-fitting of 36 scales; to place a song in a key, add the key's offset from "
        + "C major (A minor) to every pitch";

    public bool IsToneModel => ContractVersion is ModelContract.ToneVersion or ModelContract.TimedLengthVersion;

    /// <summary>
    /// A tone model whose length head reads the tone's drawn time (contract version 3): its length logits are one row per
    /// time class.
    /// </summary>
    public bool LengthGivenTime => ContractVersion == ModelContract.TimedLengthVersion;

    /// <summary>A tone model's logits of head <paramref name="head"/> per song: [classes], or [time classes, length classes].</summary>
    public long[] LogitShape(int head)
    {
        var sizes = Vocabulary?.Sizes ?? throw new InvalidOperationException("Only a tone model has heads.");
        return head == ToneVocabulary.LengthHead && LengthGivenTime
            ? [sizes[ToneVocabulary.TimeHead], sizes[ToneVocabulary.LengthHead]]
            : [sizes[head]];
    }

    /// <summary>How many logits of head <paramref name="head"/> a song has: the product of <see cref="LogitShape"/>.</summary>
    public int LogitWidth(int head) => (int)LogitShape(head).Aggregate(1L, (a, b) => a * b);

    public StepLayout Layout => new(TonesPerStep);

    public int Features => FeatureNames.Count;

    /// <summary>
    /// What is wrong with a tone model's sampling defaults, or null: a temperature from 0 to 10 (0 takes the likeliest
    /// class), a length temperature above 0 and at most 10, a length bias of one finite number per length bin.
    /// </summary>
    public string? SamplingProblem() =>
        DefaultTemperature is not (>= 0 and <= 10) ? $"A temperature is from 0 to 10, not {DefaultTemperature}."
        : LengthTemperature is not (> 0 and <= 10) ? $"A length temperature is above 0 and at most 10, not {LengthTemperature}."
        : LengthBias is { } bias && bias.Count != Vocabulary?.LengthBins.Count
            ? $"{bias.Count} length biases for {Vocabulary?.LengthBins.Count ?? 0} length bins."
        : LengthBias?.Any(b => !float.IsFinite(b)) == true ? "A length bias is a finite number."
        : null;

    /// <summary>Metadata for a generator of the given layout, normalisation (<see cref="FeatureScaling.Factors"/>) and sizes.</summary>
    public static ModelMetadata For(
        StepLayout layout,
        IReadOnlyList<float> featureScale,
        int noiseSize,
        int hiddenSize,
        int layers,
        string corpus,
        int epochs,
        ulong seed,
        string codeVersion
    ) =>
        new(
            ModelContract.Version,
            layout.TonesPerStep,
            layout.FeatureNames,
            [.. layout.FeatureNames.Select(UnitOf)],
            featureScale,
            noiseSize,
            UniformNoise,
            hiddenSize,
            layers,
            120,
            corpus,
            epochs,
            seed,
            codeVersion
        );

    /// <summary>Metadata for a generator of the tone family with the given bins and sizes.</summary>
    public static ModelMetadata ForTones(
        ToneVocabulary vocabulary,
        int noiseSize,
        int hiddenSize,
        int layers,
        string corpus,
        int epochs,
        ulong seed,
        string codeVersion,
        bool lengthGivenTime = false
    ) =>
        new(
            lengthGivenTime ? ModelContract.TimedLengthVersion : ModelContract.ToneVersion,
            1,
            ToneVocabulary.Heads,
            ["MIDI note", "quarter notes", "quarter notes", "MIDI velocity"],
            [],
            noiseSize,
            UniformNoise,
            hiddenSize,
            layers,
            120,
            corpus,
            epochs,
            seed,
            codeVersion,
            vocabulary
        );

    public IReadOnlyDictionary<string, string> ToProperties()
    {
        var properties = Vocabulary is { } vocabulary ? ToneProperties(vocabulary) : ContinuousProperties();
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

    private Dictionary<string, string> ContinuousProperties() =>
        new()
        {
            [Prefix + "contract_version"] = Text(ContractVersion),
            [Prefix + "tones_per_step"] = Text(TonesPerStep),
            [Prefix + "features"] = string.Join(',', FeatureNames),
            [Prefix + "feature_units"] = string.Join(',', FeatureUnits),
            [Prefix + "feature_scale"] = string.Join(',', FeatureScale.Select(f => f.ToString("R", CultureInfo.InvariantCulture))),
            [Prefix + "normalisation"] = "model value = musical value × feature_scale; musical value = model value ÷ feature_scale",
            [Prefix + "noise_size"] = Text(NoiseSize),
            [Prefix + "noise_distribution"] = NoiseDistribution,
            [Prefix + "first_previous"] = $"{UniformNoise} in model units, one value per feature",
        };

    private Dictionary<string, string> ToneProperties(ToneVocabulary vocabulary)
    {
        var bins = vocabulary.ToText();
        var properties = new Dictionary<string, string>
        {
            [Prefix + "contract_version"] = Text(ContractVersion),
            [Prefix + "heads"] = string.Join(',', FeatureNames),
            [Prefix + "head_units"] = string.Join(',', FeatureUnits),
            [Prefix + "head_sizes"] = string.Join(',', vocabulary.Sizes.Select(Text)),
            [Prefix + "pitch_classes"] = "MIDI note number = class index",
            [Prefix + "time_delta_bins"] = bins[0],
            [Prefix + "length_bins"] = bins[1],
            [Prefix + "velocity_bins"] = bins[2],
            [Prefix + "key_normalisation"] = KeyNormalisation,
            [Prefix + "start_tone"] = "each head's index equal to its size (one past its classes)",
            [Prefix + "sampling"] =
                "pitch and time drawn from softmax(logits / temperature), length from softmax((logits + length_bias) / "
                + "length_temperature) (a bias of 0 and a temperature of 1 when absent"
                + (LengthGivenTime ? "; the logits of the time drawn" : "")
                + "), velocity at 1 as trained; "
                + "tones that strike a key at once are one, as one instrument plays it once, and a key struck again is "
                + "released first; once a chord holds 10 keys, the next tone starts later",
            [Prefix + "default_temperature"] = DefaultTemperature.ToString("R", CultureInfo.InvariantCulture),
            [Prefix + "noise_size"] = Text(NoiseSize),
            [Prefix + "noise_distribution"] = NoiseDistribution,
        };
        if (LengthTemperature != 1f)
            properties[Prefix + "length_temperature"] = LengthTemperature.ToString("R", CultureInfo.InvariantCulture);
        if (LengthBias is { } bias)
            properties[Prefix + "length_bias"] = string.Join(',', bias.Select(b => b.ToString("R", CultureInfo.InvariantCulture)));
        return properties;
    }

    /// <summary>Every key <see cref="ToProperties"/> writes for the paper's model; a model without one of them is refused.</summary>
    public static IReadOnlyList<string> Keys { get; } =
    [.. For(StepLayout.Monophonic, FeatureScaling.Factors(StepLayout.Monophonic), 4, 1, 1, "", 0, 0, "").ToProperties().Keys];

    /// <summary>Every key <see cref="ToProperties"/> writes for the tone family.</summary>
    public static IReadOnlyList<string> ToneKeys { get; } =
    [.. ForTones(new ToneVocabulary([0, 1], [1], [64]), 4, 1, 1, "", 0, 0, "").ToProperties().Keys];

    /// <exception cref="InvalidDataException">A key is missing or a value cannot be used; the message names it.</exception>
    public static ModelMetadata Parse(IReadOnlyDictionary<string, string> properties)
    {
        if (!properties.TryGetValue(Prefix + "contract_version", out var versionText))
            throw new InvalidDataException($"The model's metadata lacks {Prefix}contract_version: it was not exported by crnngan-train export.");
        var lengthGivenTime = versionText == Text(ModelContract.TimedLengthVersion);
        var isTones = lengthGivenTime || versionText == Text(ModelContract.ToneVersion);
        if (!isTones && versionText != Text(ModelContract.Version))
            throw new InvalidDataException(
                $"The model follows contract version {versionText}; this library reads versions {ModelContract.Version} (the paper's model), "
                    + $"{ModelContract.ToneVersion} (the tone family) and {ModelContract.TimedLengthVersion} (the tone family, its length "
                    + "given the time)."
            );
        var missing = (isTones ? ToneKeys : Keys).Where(k => !properties.ContainsKey(k)).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException(
                $"The model's metadata lacks {string.Join(", ", missing)}: it was not exported by crnngan-train export, or by an incompatible "
                    + $"version."
            );

        string Get(string key) => properties[Prefix + key];
        var weights = properties.GetValueOrDefault(Prefix + "weights", Fp32);
        int Int(string key, int min) =>
            int.TryParse(Get(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min
                ? v
                : throw new InvalidDataException($"The model's metadata {Prefix}{key} = '{Get(key)}' is not a whole number of at least {min}.");

        if (Get("noise_distribution") != UniformNoise)
            throw new InvalidDataException($"The model wants {Get("noise_distribution")} noise; this library draws {UniformNoise}.");
        if (!double.TryParse(Get("default_tempo_bpm"), NumberStyles.Float, CultureInfo.InvariantCulture, out var bpm) || !(bpm is > 0 and <= 1000))
            throw new InvalidDataException($"The model's metadata {Prefix}default_tempo_bpm = '{Get("default_tempo_bpm")}' is not a tempo.");
        if (!ulong.TryParse(Get("seed"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed))
            throw new InvalidDataException($"The model's metadata {Prefix}seed = '{Get("seed")}' is not a seed.");
        if (isTones)
        {
            if (Get("heads") != string.Join(',', ToneVocabulary.Heads))
                throw new InvalidDataException($"The model's heads ({Get("heads")}) are not {string.Join(',', ToneVocabulary.Heads)}.");
            var vocabulary = ToneVocabulary.Parse(Get("time_delta_bins"), Get("length_bins"), Get("velocity_bins"));
            if (Get("head_sizes") != string.Join(',', vocabulary.Sizes.Select(Text)))
                throw new InvalidDataException($"The model's head sizes ({Get("head_sizes")}) do not match its bins.");
            if (!float.TryParse(Get("default_temperature"), NumberStyles.Float, CultureInfo.InvariantCulture, out var temperature))
                throw new InvalidDataException($"The model's metadata {Prefix}default_temperature = '{Get("default_temperature")}' is not a number.");
            var lengthText = properties.GetValueOrDefault(Prefix + "length_temperature", "1");
            if (!float.TryParse(lengthText, NumberStyles.Float, CultureInfo.InvariantCulture, out var lengthTemperature))
                throw new InvalidDataException($"The model's metadata {Prefix}length_temperature = '{lengthText}' is not a number.");
            var lengthBias = properties.TryGetValue(Prefix + "length_bias", out var biasText) ? ParseLengthBias(biasText) : null;
            var model = ForTones(
                vocabulary,
                Int("noise_size", 1),
                Int("hidden_size", 1),
                Int("layers", 1),
                Get("training_corpus"),
                Int("epochs", 0),
                seed,
                Get("code_version"),
                lengthGivenTime
            ) with
            {
                DefaultTempoBpm = bpm,
                DefaultTemperature = temperature,
                Weights = weights,
                LengthTemperature = lengthTemperature,
                LengthBias = lengthBias,
            };
            return model.SamplingProblem() is { } problem ? throw new InvalidDataException($"The model's sampling defaults: {problem}") : model;
        }

        var tones = Int("tones_per_step", 1);
        var names = Get("features").Split(',');
        var layout = new StepLayout(tones);
        if (!names.SequenceEqual(layout.FeatureNames))
            throw new InvalidDataException($"The model's features ({Get("features")}) are not the layout of {tones} tone(s) per step.");
        var scale = Get("feature_scale")
            .Split(',')
            .Select(s =>
                float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && f > 0
                    ? f
                    : throw new InvalidDataException($"The model's metadata {Prefix}feature_scale holds '{s}', not a positive number.")
            )
            .ToList();
        if (scale.Count != names.Length)
            throw new InvalidDataException($"The model gives {scale.Count} feature scales for {names.Length} features.");

        return new ModelMetadata(
            ModelContract.Version,
            tones,
            names,
            Get("feature_units").Split(','),
            scale,
            Int("noise_size", 1),
            Get("noise_distribution"),
            Int("hidden_size", 1),
            Int("layers", 1),
            bpm,
            Get("training_corpus"),
            Int("epochs", 0),
            seed,
            Get("code_version"),
            Weights: weights
        );
    }

    private static float[] ParseLengthBias(string text) =>
        [
            .. text.Split(',')
                .Select(s =>
                    float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var b)
                        ? b
                        : throw new InvalidDataException($"The model's metadata {Prefix}length_bias holds '{s}', not a number.")
                ),
        ];

    private static string UnitOf(string feature) =>
        feature switch
        {
            "time_delta" => "quarter notes",
            _ when feature.StartsWith("length", StringComparison.Ordinal) => "quarter notes",
            _ when feature.StartsWith("pitch", StringComparison.Ordinal) => "MIDI note",
            _ => "MIDI velocity",
        };

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
