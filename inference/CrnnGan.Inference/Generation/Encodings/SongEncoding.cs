using System.Globalization;
using CrnnGan.Inference.Generation.Steps;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace CrnnGan.Inference.Generation.Encodings;

/// <summary>
/// How a family of exported generators encodes songs as steps: the seam between a model family and everything that
/// generates. A model's contract version chooses its encoding once (<see cref="Parse"/>); below that, the step loop,
/// the scheduler, requests and datasets ask the encoding, never which family it is. A new family or contract version
/// is a new encoding: its metadata, its step's inputs and outputs, its rows (sampling) and its decoding to tones.
/// </summary>
public abstract record SongEncoding
{
    /// <summary>The contract version: which inputs the host feeds and which outputs it reads (<see cref="ModelContract"/>).</summary>
    public abstract int ContractVersion { get; }

    /// <summary>The family in a reader's words, for messages: e.g. "the tone family (contract version 2)".</summary>
    public abstract string Description { get; }

    /// <summary>The names of a step's values: the paper's features, or the tone family's heads.</summary>
    public abstract IReadOnlyList<string> FeatureNames { get; }

    /// <summary>The musical unit of each of <see cref="FeatureNames"/>.</summary>
    public abstract IReadOnlyList<string> FeatureUnits { get; }

    /// <summary>How many features each step has (<see cref="FeatureNames"/>).</summary>
    public int Features => FeatureNames.Count;

    /// <summary>The contract versions this library reads, each with the encoding that parses its metadata.</summary>
    private static readonly (int Version, Func<IReadOnlyDictionary<string, string>, SongEncoding> Parse, string Name)[] Versions =
    [
        (ContinuousEncoding.Version, ContinuousEncoding.FromProperties, "the paper's model"),
        (ToneEncoding.Version, ToneEncoding.FromProperties, "the tone family"),
        (ToneEncoding.TimedLengthVersion, ToneEncoding.FromProperties, "the tone family, its length given the time"),
        (ToneEncoding.BarPositionVersion, ToneEncoding.FromProperties, "the tone family, knowing where each tone falls in the bar"),
        (ToneEncoding.LookbackVersion, ToneEncoding.FromProperties, "the tone family, looking back one and two bars"),
        (ToneEncoding.TimingVersion, ToneEncoding.FromProperties, "the tone family, knowing how its song keeps time"),
        (ToneEncoding.PitchGivenTimeVersion, ToneEncoding.FromProperties, "the tone family, its pitch given the time"),
        (ToneEncoding.TimeInStepVersion, ToneEncoding.FromProperties, "the tone family, its time drawn in the step"),
        (ToneEncoding.SongNoiseVersion, ToneEncoding.FromProperties, "the tone family, its noise drawn once a song"),
    ];

    /// <summary>The model's encoding, chosen by its contract version: the one place that tells the families apart.</summary>
    /// <exception cref="InvalidDataException">An unknown version, or a family key missing or unusable; the message names it.</exception>
    public static SongEncoding Parse(IReadOnlyDictionary<string, string> properties)
    {
        var text = properties.GetValueOrDefault(ModelMetadata.Prefix + "contract_version");
        foreach (var (version, parse, _) in Versions)
        {
            if (text == version.ToString(CultureInfo.InvariantCulture))
                return parse(properties);
        }
        var names = Versions.Select(v => $"{v.Version} ({v.Name})").ToList();
        var read = string.Join(", ", names[..^1]) + " and " + names[^1];
        throw new InvalidDataException($"The model follows contract version {text}; this library reads versions {read}.");
    }

    /// <summary>
    /// The encoding's metadata properties (keys "crnngan.*"), in the order the exporter writes them; the noise's, which every
    /// family has, where this family places them.
    /// </summary>
    public abstract IEnumerable<KeyValuePair<string, string>> Properties(int noiseSize);

    /// <summary>What is wrong with the encoding's sampling defaults, or null.</summary>
    public virtual string? SamplingProblem() => null;

    /// <summary>The step's input that carries the previous step back in.</summary>
    internal abstract StepValue Previous { get; }

    /// <summary>The step's inputs besides noise and the recurrent state, each with its shape per song: <see cref="Previous"/> first.</summary>
    internal virtual IReadOnlyList<StepValue> Inputs => [Previous];

    /// <summary>The step's outputs besides the recurrent state, each with its shape per song.</summary>
    internal abstract IReadOnlyList<StepValue> Outputs { get; }

    /// <summary>What in <paramref name="request"/> does not apply to this family, each with its field.</summary>
    internal abstract IEnumerable<GenerationProblem> Problems(GenerationRequest request);

    /// <summary><paramref name="request"/> without the settings that do not apply to this family (those <see cref="Problems"/> names).</summary>
    internal abstract GenerationRequest Applicable(GenerationRequest request);

    /// <summary><paramref name="request"/> with this family's sampling defaults filled in where it names none.</summary>
    internal abstract GenerationRequest Resolve(GenerationRequest request);

    /// <summary>The key a song is placed in: the request's, one drawn from its seed, or none for a family without keys.</summary>
    internal abstract MusicalKey? KeyOf(GenerationRequest request, ulong seed);

    /// <summary>One song's row in the step loop: its seeded draws and, from a resolved request, its sampling and primer.</summary>
    internal abstract SongRow Row(GenerationRequest request, ulong seed, int steps);

    /// <summary>A finished row's steps as tones, placed in <paramref name="key"/>.</summary>
    internal abstract IReadOnlyList<Tone> Decode(SongRow row, MusicalKey? key, int program);

    /// <summary>A step input or output: its name in the graph, its element type and its shape per song.</summary>
    internal sealed record StepValue(string Name, TensorElementType Type, long[] Shape)
    {
        public int Width => (int)Shape.Aggregate(1L, (a, b) => a * b);
    }
}
