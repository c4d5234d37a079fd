using System.Globalization;
using CrnnGan.Inference.Generation.Steps;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace CrnnGan.Inference.Generation.Encodings;

/// <summary>
/// The tone family (contract versions 2 to 9): one tone per step as a class index per head (pitch, time since the
/// previous onset, length, velocity), <see cref="Vocabulary"/> holding the bins, trained in C major / A minor and
/// placed in a key when generated. The host draws each head's class from its logits (<see cref="ToneSampler"/>) at
/// the request's temperature or the model's <see cref="DefaultTemperature"/>, and within the request's nucleus or the
/// model's <see cref="DefaultTopP"/> (1: the whole distribution). With <see cref="LengthGivenTime"/>
/// (version 3) the length logits are one row per time class, of which the time drawn chooses one. With
/// <see cref="BarPosition"/> (version 4, which has the length given the time too) the previous tone fed back carries
/// where it started in its bar, which the host tracks from the time classes drawn. With <see cref="LookbackBars"/> (version 5,
/// which has the bar's place too) it also carries what came next one and two bars earlier and whether the tone repeats
/// what sounded then. <see cref="ToneFeedback"/> builds each song's rows. With a <see cref="TimeTemperature"/>, the model's
/// own, the time is drawn at it and the request's temperature shapes the pitch alone: the rhythm keeps its beat at a
/// temperature that would crowd the melody into its key. With a <see cref="MeteredShare"/> (version 6) each song's rows carry
/// its <see cref="SongTiming"/>, drawn from its seed: the model keeps a metered song on the beat and a free one free, as
/// real songs are one or the other from their first tone to their last. With <see cref="AscendingChords"/> a tone drawn at the
/// onset of the tone before is drawn from the pitches above it, the order in which the encoding writes a chord's keys.
/// With <see cref="PitchGivenTime"/> (version 7) the model keeps that order itself: its pitch logits are one row per time
/// class, of which the time drawn chooses one, and the row of the time 0 has no pitch at or below the tone before. With
/// <see cref="TimeInStep"/> (version 8) the step draws the time from uniform numbers the host feeds, and gives pitch and length
/// for the time drawn alone; its <see cref="TimeBias"/> is added to the time logits before the draw, and a
/// <see cref="TimeBiasByPlace"/> too, its row chosen by where the tone before fell in its quarter note (and by the song's timing).
/// With <see cref="SongNoise"/> (version 9, the same step as version 8) the host feeds a song the same noise at every step.
/// </summary>
public sealed record ToneEncoding(
    ToneVocabulary Vocabulary,
    bool LengthGivenTime = false,
    float DefaultTemperature = 1f,
    float LengthTemperature = 1f,
    IReadOnlyList<float>? LengthBias = null,
    float DefaultTopP = 1f,
    bool BarPosition = false,
    int LookbackBars = 0,
    float? TimeTemperature = null,
    float? MeteredShare = null,
    bool AscendingChords = false,
    bool PitchGivenTime = false,
    bool TimeInStep = false,
    IReadOnlyList<float>? TimeBias = null,
    IReadOnlyList<float>? TimeBiasByPlace = null,
    bool SongNoise = false
) : SongEncoding
{
    /// <summary>The contract version of the tone family's first form: four categorical heads.</summary>
    public const int Version = ModelContract.ToneVersion;

    /// <summary>The contract version whose length head reads the drawn time.</summary>
    public const int TimedLengthVersion = ModelContract.TimedLengthVersion;

    /// <summary>The contract version whose previous tone carries its place in the bar.</summary>
    public const int BarPositionVersion = ModelContract.BarPositionVersion;

    /// <summary>The contract version whose previous tone carries a lookback of the last bars.</summary>
    public const int LookbackVersion = ModelContract.LookbackVersion;

    /// <summary>The contract version whose previous tone carries its song's timing.</summary>
    public const int TimingVersion = ModelContract.TimingVersion;

    /// <summary>The contract version whose pitch head reads the drawn time.</summary>
    public const int PitchGivenTimeVersion = ModelContract.PitchGivenTimeVersion;

    /// <summary>The contract version whose step draws the time.</summary>
    public const int TimeInStepVersion = ModelContract.TimeInStepVersion;

    /// <summary>The contract version whose noise is drawn once a song.</summary>
    public const int SongNoiseVersion = ModelContract.SongNoiseVersion;

    /// <summary>
    /// The places a tone can start at in its quarter note, in steps of the 1/48-quarter grid: each is a row of <see cref="TimeBiasByPlace"/>.
    /// Every step, not the sixteenths and "off them": real music's onsets off the sixteenths are mostly triplets, whose next times
    /// lead back onto the beat, and the same times after another place off the sixteenths would lead to a third.
    /// </summary>
    public const int TimeBiasPlaces = 4 * ToneVocabulary.SixteenthSteps;

    /// <summary>
    /// Rows of <see cref="TimeBiasByPlace"/>, one per (timing, place): for each timing the song can have (metered, then free,
    /// with <see cref="Timing"/>; one otherwise), each of the <see cref="TimeBiasPlaces"/> places of the tone before in its quarter note.
    /// </summary>
    public int TimeBiasRows => (Timing ? 2 : 1) * TimeBiasPlaces;

    /// <summary>
    /// The row of <see cref="TimeBiasByPlace"/> for a song of <paramref name="timing"/> whose tone before started at <paramref name="onset"/>.
    /// </summary>
    public int TimeBiasRow(SongTiming timing, long onset) => (Timing ? (int)timing : 0) * TimeBiasPlaces + PlaceInQuarter(onset);

    /// <summary>
    /// Where an onset <paramref name="onset"/> steps of the 1/48-quarter grid from a bar's start falls in its quarter note (0 to 47).
    /// </summary>
    public static int PlaceInQuarter(long onset) => (int)(onset % TimeBiasPlaces);

    /// <summary>Whether each song's rows carry its timing, their last column.</summary>
    public bool Timing => MeteredShare is not null;

    /// <summary>What the tone family's training did to keys, and so what the host does to place a song in one.</summary>
    public const string KeyNormalisation =
        "training windows transposed to C major / A minor by their best-fitting of 36 scales; to place a song in a key, add the key's offset from "
        + "C major (A minor) to every pitch";

    /// <inheritdoc/>
    public override int ContractVersion =>
        SongNoise ? SongNoiseVersion
        : TimeInStep ? TimeInStepVersion
        : PitchGivenTime ? PitchGivenTimeVersion
        : Timing ? TimingVersion
        : LookbackBars > 0 ? LookbackVersion
        : BarPosition ? BarPositionVersion
        : LengthGivenTime ? TimedLengthVersion
        : Version;

    /// <summary>The column of the previous tone fed back that holds where it started in its bar, with <see cref="BarPosition"/>.</summary>
    public static int PositionColumn => ToneVocabulary.Heads.Count;

    /// <summary>
    /// The width of the previous tone fed back: the heads, where it started in its bar with <see cref="BarPosition"/>, and
    /// <see cref="ToneFeedback.ColumnsPerBar"/> for each bar of <see cref="LookbackBars"/>, and the song's timing with <see cref="Timing"/>.
    /// </summary>
    public int PreviousWidth => ToneVocabulary.Heads.Count + (BarPosition ? 1 : 0) + LookbackBars * ToneFeedback.ColumnsPerBar + (Timing ? 1 : 0);

    /// <summary>
    /// The previous tone of the first step: each head's index one past its classes, at the start of a bar, with nothing
    /// to look back on, in a metered song (<see cref="ToneFeedback"/> sets a song's own timing).
    /// </summary>
    public long[] StartTone =>
        [
            .. Vocabulary.Sizes.Select(s => (long)s),
            .. BarPosition ? new[] { 0L } : [],
            .. Enumerable.Range(0, LookbackBars).SelectMany(_ => new long[] { ToneFeedback.NoPitch, ToneFeedback.NoOffset, 0 }),
            .. Timing ? new[] { (long)SongTiming.Metered } : [],
        ];

    /// <summary>A new song's rows of previous tones, from the start tone, for a song of <paramref name="timing"/>.</summary>
    public ToneFeedback Feedback(SongTiming timing = SongTiming.Metered) => new(this, timing: timing);

    private const ulong TimingStream = 0x74696D65UL;

    /// <summary>
    /// The timing of the song of <paramref name="seed"/>, from the seed alone: metered with the model's <see cref="MeteredShare"/>.
    /// </summary>
    public SongTiming TimingOf(ulong seed) =>
        new Randomness.SeededRandom(seed ^ TimingStream).NextDouble() < (MeteredShare ?? 1) ? SongTiming.Metered : SongTiming.Free;

    /// <inheritdoc/>
    public override string Description => $"the tone family (contract version {ContractVersion})";

    /// <inheritdoc/>
    public override IReadOnlyList<string> FeatureNames => ToneVocabulary.Heads;

    /// <inheritdoc/>
    public override IReadOnlyList<string> FeatureUnits => ["MIDI note", "quarter notes", "quarter notes", "MIDI velocity"];

    /// <summary>Logits of head <paramref name="head"/> per song: [classes], or [time classes, classes] for a head given the time.</summary>
    public long[] LogitShape(int head)
    {
        var sizes = Vocabulary.Sizes;
        return RowPerTime(head) ? [sizes[ToneVocabulary.TimeHead], sizes[head]] : [sizes[head]];
    }

    /// <summary>Whether head <paramref name="head"/>'s logits are a row per time class: given the time, which the step does not draw.</summary>
    public bool RowPerTime(int head) => GivenTime(head) && !TimeInStep;

    /// <summary>Whether head <paramref name="head"/>'s logits are one row per time class, of which the time drawn chooses one.</summary>
    public bool GivenTime(int head) => head == ToneVocabulary.LengthHead && LengthGivenTime || head == ToneVocabulary.PitchHead && PitchGivenTime;

    /// <summary>How many logits of head <paramref name="head"/> a song has: the product of <see cref="LogitShape"/>.</summary>
    public int LogitWidth(int head) => (int)LogitShape(head).Aggregate(1L, (a, b) => a * b);

    /// <summary>
    /// A temperature from 0 to 10 (0 takes the likeliest class), a length temperature above 0 and at most 10, a length
    /// bias of one finite number per length bin.
    /// </summary>
    public override string? SamplingProblem() =>
        DefaultTemperature is not (>= 0 and <= 10) ? $"A temperature is from 0 to 10, not {DefaultTemperature}."
        : LengthTemperature is not (> 0 and <= 10) ? $"A length temperature is above 0 and at most 10, not {LengthTemperature}."
        : LengthBias is { } bias && bias.Count != Vocabulary.LengthBins.Count
            ? $"{bias.Count} length biases for {Vocabulary.LengthBins.Count} length bins."
        : LengthBias?.Any(b => !float.IsFinite(b)) == true ? "A length bias is a finite number."
        : DefaultTopP is not (> 0 and <= 1) ? $"A nucleus (top-p) is above 0 and at most 1, not {DefaultTopP}."
        : TimeTemperature is not (null or (>= 0 and <= 10)) ? $"A time temperature is from 0 to 10, not {TimeTemperature}."
        : MeteredShare is not (null or (>= 0 and <= 1)) ? $"A metered share is from 0 to 1, not {MeteredShare}."
        : Timing && !BarPosition ? "A song's timing is read with where each tone falls in the bar."
        : PitchGivenTime && !LengthGivenTime ? "A pitch head that reads the time comes with a length head that reads it."
        : TimeInStep && !PitchGivenTime ? "A step that draws the time comes with a pitch head that reads it."
        : TimeBias is not null && !TimeInStep ? "A time bias is added by a step that draws the time (contract version 8)."
        : TimeBias is { } timeBias && timeBias.Count != Vocabulary.TimeBins.Count
            ? $"{timeBias.Count} time biases for {Vocabulary.TimeBins.Count} time bins."
        : TimeBias?.Any(b => !float.IsFinite(b)) == true ? "A time bias is a finite number."
        : TimeBiasByPlace is not null && !TimeInStep ? "A time bias by place is added by a step that draws the time (contract version 8)."
        : TimeBiasByPlace is { } byPlace && byPlace.Count != TimeBiasRows * Vocabulary.TimeBins.Count
            ? $"{byPlace.Count} time biases by place for {TimeBiasRows} rows of {Vocabulary.TimeBins.Count} time bins."
        : TimeBiasByPlace?.Any(b => !float.IsFinite(b)) == true ? "A time bias by place is a finite number."
        : SongNoise && !TimeInStep ? "Noise drawn once a song comes with a step that draws the time (version 9 is version 8's step)."
        : PitchGivenTime && AscendingChords
            ? "A pitch head that reads the time keeps the chord's order itself; ascending_chords is for those that do not."
        : null;

    /// <inheritdoc/>
    public override IEnumerable<KeyValuePair<string, string>> Properties(int noiseSize)
    {
        const string prefix = ModelMetadata.Prefix;
        var bins = Vocabulary.ToText();
        yield return new(prefix + "contract_version", ContractVersion.ToString(CultureInfo.InvariantCulture));
        yield return new(prefix + "heads", string.Join(',', FeatureNames));
        yield return new(prefix + "head_units", string.Join(',', FeatureUnits));
        yield return new(prefix + "head_sizes", string.Join(',', Vocabulary.Sizes.Select(s => s.ToString(CultureInfo.InvariantCulture))));
        yield return new(prefix + "pitch_classes", "MIDI note number = class index");
        yield return new(prefix + "time_delta_bins", bins[0]);
        yield return new(prefix + "length_bins", bins[1]);
        yield return new(prefix + "velocity_bins", bins[2]);
        yield return new(prefix + "key_normalisation", KeyNormalisation);
        yield return new(prefix + "start_tone", "each head's index equal to its size (one past its classes)");
        yield return new(
            prefix + "sampling",
            "pitch and time drawn from softmax(logits / temperature), length from softmax((logits + length_bias) / "
                + "length_temperature) (a bias of 0 and a temperature of 1 when absent"
                + (LengthGivenTime ? "; the logits of the time drawn" : "")
                + (
                    TimeInStep ? "; the time drawn in the step from time_draw, pitch and length given by the step for it"
                    : PitchGivenTime ? "; the time drawn first, the pitch from the row of the time drawn"
                    : ""
                )
                + "), velocity at 1 as trained; "
                + (
                    AscendingChords
                        ? "the time first, and a tone at the onset of the tone before (time class 0) from the pitches above that tone's, "
                            + "as the encoding writes a chord's keys, ascending and each once (time 0 closed when no pitch is above); "
                        : ""
                )
                + "tones that strike a key at once are one, as one instrument plays it once, and a key struck again is "
                + "released first; once a chord holds 10 keys, the next tone starts later"
        );
        yield return new(prefix + "default_temperature", DefaultTemperature.ToString("R", CultureInfo.InvariantCulture));
        yield return new(prefix + "noise_size", noiseSize.ToString(CultureInfo.InvariantCulture));
        yield return new(prefix + "noise_distribution", ModelMetadata.UniformNoise);
        if (LengthTemperature != 1f)
            yield return new(prefix + "length_temperature", LengthTemperature.ToString("R", CultureInfo.InvariantCulture));
        if (LengthBias is { } bias)
            yield return new(prefix + "length_bias", string.Join(',', bias.Select(b => b.ToString("R", CultureInfo.InvariantCulture))));
        if (TimeBias is { } timeBias)
            yield return new(prefix + "time_bias", string.Join(',', timeBias.Select(b => b.ToString("R", CultureInfo.InvariantCulture))));
        if (TimeBiasByPlace is { } byPlace)
        {
            yield return new(prefix + TimeBiasByPlaceKey, string.Join(',', byPlace.Select(b => b.ToString("R", CultureInfo.InvariantCulture))));
            yield return new(
                prefix + "time_bias_places",
                $"time_bias_by_place is {TimeBiasRows} rows of time bins, added to time_bias: "
                    + (Timing ? "the metered song's 5 rows, then the free song's; in each, " : "")
                    + "the row of where the tone before started in its quarter note, in 1/48-quarter steps (0 to 47; the start tone at 0)"
            );
        }
        if (BarPosition)
            yield return new(
                prefix + "bar_position",
                "previous_tone's last column: where the tone before started in its 4-quarter bar, in 1/48-quarter steps (0 to 191; 0 for the "
                    + "start tone), moved on by each drawn time class's steps modulo the bar"
            );
        if (LookbackBars > 0)
        {
            yield return new(prefix + "lookback_bars", LookbackBars.ToString(CultureInfo.InvariantCulture));
            yield return new(
                prefix + "lookback",
                "previous_tone's columns after the bar's place, 3 for each of the last lookback_bars bars: the pitch of the tone that "
                    + "came next that many bars before the tone before (128: none), how many 1/48-quarter steps after that moment it "
                    + "started (192: a bar or more; 193: none), and whether the tone before repeats the tone then at its place in its chord "
                    + "(0: none there, 1: no, 2: yes)"
            );
        }
        if (MeteredShare is { } share)
        {
            yield return new(prefix + "metered_share", share.ToString("R", CultureInfo.InvariantCulture));
            yield return new(
                prefix + "timing",
                "previous_tone's last column, the same at every step of a song: 0 metered (at least half its onsets on the sixteenth grid), "
                    + "1 free; drawn from the song's seed, metered with probability metered_share, the share of the training songs that were"
            );
        }
        if (TimeTemperature is { } time)
            yield return new(prefix + "time_temperature", time.ToString("R", CultureInfo.InvariantCulture));
        if (AscendingChords)
            yield return new(prefix + AscendingChordsKey, "true");
        if (PitchGivenTime)
            yield return new(
                prefix + PitchGivenTimeKey,
                "pitch_logits is [batch, time bins, 128], a row per time class; in the row of time class 0 the pitches at or below "
                    + "previous_tone's pitch are -inf (none after the top key, 127, or the start tone)"
            );
        if (TimeInStep)
            yield return new(
                prefix + TimeInStepKey,
                "the step draws the time: time_draw [batch, 3] holds each song's uniform number, time temperature (0: the likeliest) "
                    + "and nucleus; closed_time [batch, 1] a class not to draw (-1: none); time_bias [batch, time bins] is added to the "
                    + "time logits before the draw (time_bias below, or 0); time_drawn [batch, 1] is the class drawn; pitch_logits and "
                    + "length_logits are those of the time drawn"
            );
        if (SongNoise)
            yield return new(prefix + SongNoiseKey, "noise is drawn once for each song, from its seed, and fed at every step of the song");
        // Pitch and time are then drawn from their nucleus: the likeliest classes whose probabilities reach it.
        if (DefaultTopP != 1f)
            yield return new(prefix + "default_top_p", DefaultTopP.ToString("R", CultureInfo.InvariantCulture));
    }

    /// <summary>Every key <see cref="Properties"/> always writes; a model without one of them is refused.</summary>
    public static IReadOnlyList<string> Keys { get; } = [.. new ToneEncoding(new ToneVocabulary([0, 1], [1], [64])).Properties(1).Select(p => p.Key)];

    internal static ToneEncoding FromProperties(IReadOnlyDictionary<string, string> properties)
    {
        var version = properties.GetValueOrDefault(ModelMetadata.Prefix + "contract_version");
        // Versions 7 to 9 name which of the inputs of versions 4 to 6 they read; each of those reads its own and those before.
        var songNoise = version == SongNoiseVersion.ToString(CultureInfo.InvariantCulture);
        var inStep = songNoise || version == TimeInStepVersion.ToString(CultureInfo.InvariantCulture);
        var pitched = inStep || version == PitchGivenTimeVersion.ToString(CultureInfo.InvariantCulture);
        var timing = version == TimingVersion.ToString(CultureInfo.InvariantCulture) || pitched && Has("metered_share");
        string[] keys =
        [
            .. Keys,
            .. timing ? [ModelMetadata.Prefix + "metered_share"] : Array.Empty<string>(),
            .. pitched ? [ModelMetadata.Prefix + PitchGivenTimeKey] : Array.Empty<string>(),
            .. inStep ? [ModelMetadata.Prefix + TimeInStepKey] : Array.Empty<string>(),
            .. songNoise ? [ModelMetadata.Prefix + SongNoiseKey] : Array.Empty<string>(),
        ];
        var read = new MetadataReader(properties, keys);
        if (read.Text("heads") != string.Join(',', ToneVocabulary.Heads))
            throw new InvalidDataException($"The model's heads ({read.Text("heads")}) are not {string.Join(',', ToneVocabulary.Heads)}.");
        var vocabulary = ToneVocabulary.Parse(read.Text("time_delta_bins"), read.Text("length_bins"), read.Text("velocity_bins"));
        if (read.Text("head_sizes") != string.Join(',', vocabulary.Sizes.Select(s => s.ToString(CultureInfo.InvariantCulture))))
            throw new InvalidDataException($"The model's head sizes ({read.Text("head_sizes")}) do not match its bins.");
        var lookback = version == LookbackVersion.ToString(CultureInfo.InvariantCulture) || (timing || pitched) && Has("lookback_bars");
        var positioned = lookback || timing || version == BarPositionVersion.ToString(CultureInfo.InvariantCulture) || pitched && Has("bar_position");
        var encoding = new ToneEncoding(
            vocabulary,
            positioned || pitched || version == TimedLengthVersion.ToString(CultureInfo.InvariantCulture),
            read.Single("default_temperature"),
            read.Single("length_temperature", fallback: "1"),
            read.Optional("length_bias") is { } bias ? ParseBias("length_bias", bias) : null,
            read.Single("default_top_p", fallback: "1"),
            positioned,
            lookback ? LookbackBarsOf(read.Text("lookback_bars")) : 0,
            read.Optional("time_temperature") is null ? null : read.Single("time_temperature"),
            timing ? read.Single("metered_share") : null,
            read.Flag(AscendingChordsKey),
            pitched,
            inStep,
            read.Optional("time_bias") is { } timeBias ? ParseBias("time_bias", timeBias) : null,
            read.Optional(TimeBiasByPlaceKey) is { } byPlace ? ParseBias(TimeBiasByPlaceKey, byPlace) : null,
            songNoise
        );
        return encoding.SamplingProblem() is { } problem ? throw new InvalidDataException($"The model's sampling defaults: {problem}") : encoding;

        bool Has(string key) => properties.ContainsKey(ModelMetadata.Prefix + key);
    }

    private static int LookbackBarsOf(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var bars) && bars is >= 1 and <= MaxLookbackBars
            ? bars
            : throw new InvalidDataException($"The model's metadata {ModelMetadata.Prefix}lookback_bars holds '{text}', not 1 to {MaxLookbackBars}.");

    /// <summary>The metadata key of <see cref="AscendingChords"/>, written only when it is on.</summary>
    private const string AscendingChordsKey = "ascending_chords";

    /// <summary>The metadata key that says how a model of <see cref="PitchGivenTime"/> gives its pitch logits (version 7's).</summary>
    private const string PitchGivenTimeKey = "pitch_given_time";

    /// <summary>The metadata key that says what the step of a model of <see cref="TimeInStep"/> reads and draws (version 8's).</summary>
    private const string TimeInStepKey = "time_in_step";

    /// <summary>The metadata key that says a model of <see cref="SongNoise"/> is fed a song's noise at every step (version 9's).</summary>
    private const string SongNoiseKey = "song_noise";

    /// <summary>The metadata key of <see cref="TimeBiasByPlace"/>, written only when there is one.</summary>
    private const string TimeBiasByPlaceKey = "time_bias_by_place";

    /// <summary>The most bars a model looks back.</summary>
    public const int MaxLookbackBars = 4;

    private static float[] ParseBias(string key, string text) =>
        [
            .. text.Split(',')
                .Select(s =>
                    float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var b)
                        ? b
                        : throw new InvalidDataException($"The model's metadata {ModelMetadata.Prefix}{key} holds '{s}', not a number.")
                ),
        ];

    internal override StepValue Previous => new(ModelContract.PreviousTone, TensorElementType.Int64, [PreviousWidth]);

    internal override IReadOnlyList<StepValue> Inputs =>
        TimeInStep
            ?
            [
                Previous,
                new(ModelContract.TimeDraw, TensorElementType.Float, [3]),
                new(ModelContract.ClosedTime, TensorElementType.Int64, [1]),
                new(ModelContract.TimeBias, TensorElementType.Float, [Vocabulary.TimeBins.Count]),
            ]
            : [Previous];

    /// <summary>Each head's logits in the heads' order, then, with <see cref="TimeInStep"/>, the time drawn.</summary>
    internal override IReadOnlyList<StepValue> Outputs =>
        [
            .. ToneVocabulary.Heads.Select((head, k) => new StepValue(ModelContract.Logits(head), TensorElementType.Float, LogitShape(k))),
            .. TimeInStep ? [new StepValue(ModelContract.TimeDrawn, TensorElementType.Int64, [1])] : Array.Empty<StepValue>(),
        ];

    internal override IEnumerable<GenerationProblem> Problems(GenerationRequest request)
    {
        if (request.Timing is not null && !Timing)
            yield return new GenerationProblem(
                "timing",
                $"timing applies to models that read their song's timing (contract version {TimingVersion}); this model is version {ContractVersion}"
            );
    }

    internal override GenerationRequest Applicable(GenerationRequest request) => Timing ? request : request with { Timing = null };

    internal override GenerationRequest Resolve(GenerationRequest request) =>
        request with
        {
            Temperature = request.Temperature ?? DefaultTemperature,
            TopP = request.TopP ?? DefaultTopP,
        };

    private const ulong KeyStream = 0x6B6579UL;

    /// <summary>The key a song is placed in when the request names none: drawn from the song's seed alone.</summary>
    public static MusicalKey RandomKey(ulong seed) => MusicalKey.Random(new Randomness.SeededRandom(seed ^ KeyStream));

    internal override MusicalKey? KeyOf(GenerationRequest request, ulong seed) => request.Key ?? RandomKey(seed);

    internal override SongRow Row(GenerationRequest request, ulong seed, int steps)
    {
        var resolved = Resolve(request);
        var primer = request.Primer is { Count: > 0 } tones ? InC(tones) : null;
        return Row(seed, steps, resolved.Temperature!.Value, resolved.NoiseScale, primer, resolved.TopP!.Value, request.Timing);
    }

    /// <summary>A song's row, its arguments checked as <see cref="GeneratorSession.RunTones"/> documents them.</summary>
    internal ToneRow Row(ulong seed, int steps, float temperature, float noiseScale, int[]? primer, float topP = 1f, SongTiming? timing = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        var sizes = Vocabulary.Sizes;
        if (primer is not null && (primer.Length % sizes.Count != 0 || primer.Where((c, i) => c < 0 || c >= sizes[i % sizes.Count]).Any()))
            throw new ArgumentException($"A primer is whole tones of {sizes.Count} class indices, each within its head's classes.", nameof(primer));
        return new ToneRow(seed, steps, temperature, topP, noiseScale, primer, this, timing ?? TimingOf(seed));
    }

    internal override IReadOnlyList<Tone> Decode(SongRow row, MusicalKey? key, int program) =>
        Vocabulary.Decode(((ToneRow)row).Result, key?.Offset ?? 0, program);

    /// <summary>Tones as class indices moved to C major / A minor by their best-fitting scale, as the model was trained.</summary>
    private int[] InC(IReadOnlyList<Tone> tones)
    {
        var indices = Vocabulary.Encode(tones);
        var heads = ToneVocabulary.Heads.Count;
        var pitches = Enumerable.Range(0, indices.Length / heads).Select(t => indices[t * heads + ToneVocabulary.PitchHead]).ToArray();
        var shift = Scale.BestFit(pitches).ShiftToC;
        for (var t = 0; t < pitches.Length; t++)
            indices[t * heads + ToneVocabulary.PitchHead] = Math.Clamp(pitches[t] + shift, 0, ToneVocabulary.Pitches - 1);
        return indices;
    }

    /// <summary>Equal when the vocabulary and every sampling setting are equal.</summary>
    public bool Equals(ToneEncoding? other) =>
        other is not null
        && Vocabulary == other.Vocabulary
        && LengthGivenTime == other.LengthGivenTime
        && DefaultTemperature == other.DefaultTemperature
        && LengthTemperature == other.LengthTemperature
        && (LengthBias ?? []).SequenceEqual(other.LengthBias ?? [])
        && DefaultTopP == other.DefaultTopP
        && BarPosition == other.BarPosition
        && LookbackBars == other.LookbackBars
        && TimeTemperature == other.TimeTemperature
        && MeteredShare == other.MeteredShare
        && AscendingChords == other.AscendingChords
        && PitchGivenTime == other.PitchGivenTime
        && TimeInStep == other.TimeInStep
        && (TimeBias ?? []).SequenceEqual(other.TimeBias ?? [])
        && (TimeBiasByPlace ?? []).SequenceEqual(other.TimeBiasByPlace ?? []);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Vocabulary, LengthGivenTime, DefaultTemperature, LengthTemperature);
}
