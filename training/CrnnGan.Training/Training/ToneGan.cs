using System.IO.Compression;
using System.Text.Json;
using CrnnGan.Inference.Randomness;
using CrnnGan.Inference.Statistics;
using TorchSharp;
using static TorchSharp.torch;

namespace CrnnGan.Training.Training;

/// <summary>
/// The tone family: maximum-likelihood pretraining (cross-entropy of each head, teacher forcing), then the game. In the
/// game the generator runs free, feeding back its own hard samples (Gumbel-max, an exact draw from its softmax at the game's
/// temperature, <see cref="TrainingSettings.GamePitchTemperature"/>), while
/// the discriminator reads the same draws relaxed, softmax((logits + Gumbel noise) / τ), with τ annealed (RelGAN), or
/// as exact one-hots with the relaxed gradient (straight through). A weighted likelihood term can keep the generator
/// near the data.
/// </summary>
public sealed class ToneGan : GanFamily
{
    private const string VocabularyEntry = "vocabulary.json";

    private const string TimingEntry = "metered_share.json";

    /// <summary>
    /// Seeds LibTorch's process-wide random state, then makes the networks from it: each run's weights are its seed's. A
    /// generator that reads its song's timing draws songs metered with <paramref name="meteredShare"/>.
    /// </summary>
    public ToneGan(TrainingSettings settings, ToneVocabulary vocabulary, Device device, float? meteredShare = null)
        : base(settings, device)
    {
        if (settings.Model.Timing != meteredShare is not null)
            throw new ArgumentException(
                "A generator that reads its song's timing needs the share of metered songs, and only it.",
                nameof(meteredShare)
            );
        Vocabulary = vocabulary;
        MeteredShare = meteredShare;
        random.manual_seed((long)settings.Seed);
        TypedGenerator = new ToneGenerator(settings.Model, vocabulary.Sizes, vocabulary.TimeSteps);
        TypedDiscriminator = new ToneDiscriminator(settings.Model, vocabulary.Sizes, vocabulary.ZeroTime);
        TypedGenerator.to(device);
        TypedDiscriminator.to(device);
        _rows = Encoding(1, 1);
        _timeSteps = [.. vocabulary.TimeSteps.Select(t => (long)t)];
    }

    /// <summary>Each time class's 1/48-quarter steps.</summary>
    private readonly long[] _timeSteps;

    /// <summary>What the generator reads of a song's past, as the exported model's host will build it.</summary>
    private readonly ToneEncoding _rows;

    /// <summary>
    /// <see cref="Make"/>, then, for a discriminator that reads its window's statistics, their standardisation from the
    /// windows of <paramref name="training"/>.
    /// </summary>
    internal static GanFamily Start(TrainingSettings settings, Device device, IReadOnlyList<Song> training)
    {
        var gan = Make(settings, device, training);
        if (settings.Model.DiscriminatorSummary)
            gan.StandardiseSummary(training);
        return gan;
    }

    /// <summary>
    /// Bins chosen from <paramref name="training"/>, or bins and generator taken from <see cref="TrainingSettings.GeneratorFrom"/>:
    /// a checkpoint of the tone family with the same model settings, or an exported fp32 tone model.
    /// </summary>
    private static ToneGan Make(TrainingSettings settings, Device device, IReadOnlyList<Song> training)
    {
        var m = settings.Model;
        float? share = m.Timing ? (float)training.Count(s => OnsetPosition.Timing(s.Tones) == SongTiming.Metered) / training.Count : null;
        if (settings.GeneratorFrom is not { } from)
            return new ToneGan(
                settings,
                ToneVocabulary.FromSongs(training.Select(s => s.Tones), m.TimeBins, m.LengthBins, m.VelocityBins),
                device,
                share
            );
        if (Path.GetExtension(from).Equals(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            var onnx = File.ReadAllBytes(from);
            var imported = new ToneGan(settings, OnnxImport.Encoding(onnx).Vocabulary, device, share);
            OnnxImport.LoadWeights(onnx, imported.TypedGenerator);
            return imported;
        }
        // The model settings name the family too: a checkpoint of the paper's model is refused here.
        if (Checkpoint.ReadSettings(from).Model.WithWeightlessSettingsOf(m) is var saved && saved != m)
            throw new ArgumentException($"generator_from: {from} has other model settings ({saved}) than this run's ({m}).");
        var started = new ToneGan(settings, Checkpoint.Read(from, VocabularyEntry, ReadVocabulary), device, share);
        Checkpoint.Read(from, Checkpoint.GeneratorEntry, s => started.Generator.load(s, strict: true));
        return started;
    }

    /// <summary>
    /// Standardises the discriminator's window statistics by those of one epoch of <paramref name="training"/>'s windows,
    /// drawn with a random source of their own from the run's seed, so that the run's own stream is as without them. Each
    /// batch's one-hots and pairwise products are freed as soon as its summaries are taken: kept for the whole epoch they
    /// grew with the window's length squared, and 400-tone windows ran a 24 GB machine out of memory before the first batch.
    /// </summary>
    private void StandardiseSummary(IReadOnlyList<Song> training)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var windows = Windows(training, training: false).Epoch(Settings.BatchSize, Settings.SequenceLength, new SeededRandom(Settings.Seed));
        var d = TypedDiscriminator;
        d.Standardise(cat([.. windows.Select(w => SummaryOf(d, w))], 0));
    }

    private Tensor SummaryOf(ToneDiscriminator d, Func<Device, Tensor> window)
    {
        using var batch = NewDisposeScope();
        return d.Summary(d.OneHot(Tones(window(Device)))).MoveToOuterDisposeScope();
    }

    internal static GanFamily FromCheckpoint(TrainingSettings settings, Device device, ZipArchive checkpoint) =>
        new ToneGan(
            settings,
            Checkpoint.Read(checkpoint, VocabularyEntry, ReadVocabulary),
            device,
            settings.Model.Timing ? Checkpoint.Read(checkpoint, TimingEntry, s => JsonSerializer.Deserialize<float>(s)) : null
        );

    private static ToneVocabulary ReadVocabulary(Stream s) => JsonSerializer.Deserialize<ToneVocabulary>(s, TrainingSettings.Json)!;

    internal override void Save(Action<string, Action<Stream>> write)
    {
        write(VocabularyEntry, s => JsonSerializer.Serialize(s, Vocabulary, TrainingSettings.Json));
        if (MeteredShare is { } share)
            write(TimingEntry, s => JsonSerializer.Serialize(s, share));
    }

    public ToneVocabulary Vocabulary { get; }

    /// <summary>The share of the training songs that were metered, with which a generator that reads the timing draws it.</summary>
    public float? MeteredShare { get; }

    /// <summary>The generator with its own type, for export and tests.</summary>
    public ToneGenerator TypedGenerator { get; }

    public ToneDiscriminator TypedDiscriminator { get; }

    public override nn.Module Generator => TypedGenerator;

    public override nn.Module Discriminator => TypedDiscriminator;

    /// <summary>The bar's place, the lookback, the timing and the time given the place: each starts at 0.</summary>
    public override bool StartsAtZero(string name) => name.Split('.')[0] is "position" or "lookback" or "timing" or "placeTime";

    /// <summary>The songs' windows; training windows of metered songs stray and come back (<see cref="TrainingSettings.RecoveryWindows"/>).</summary>
    public override IWindows Windows(IReadOnlyList<Song> songs, bool training) =>
        new ToneWindows(
            songs,
            _rows,
            Settings.SequenceLength,
            Settings.KeyNormalisation,
            training ? Settings.RecoveryWindows : 0,
            Settings.OnsetPlaces
        );

    public override int WindowLength(int epoch) => Settings.SequenceLength;

    public override string TooFew(IWindows windows) =>
        $"{windows.Count} training songs of {Settings.SequenceLength} tones or more do not fill one batch of {Settings.BatchSize}.";

    public override Tensor PretrainingLoss(Tensor real) => Likelihood(real);

    /// <summary>
    /// The mean over heads of each head's cross-entropy, predicting every tone (its time the one to learn) from the row read
    /// after the tone before it (the start tone before the first): the generator's negative log-likelihood per tone ÷ 4.
    /// </summary>
    public Tensor Likelihood(Tensor real, torch.Generator? source = null)
    {
        var (batch, steps) = (real.shape[0], real.shape[1]);
        var (tones, time, rows) = (Tones(real), real[.., .., ToneVocabulary.Heads.Count], Rows(real));
        var previous = cat([StartTones(batch, rows).unsqueeze(1), rows.narrow(1, 0, steps - 1)], dim: 1);
        var logits = TypedGenerator.call(Noise(batch, steps, source), previous, time);
        Tensor Target(int k) => k == ToneVocabulary.TimeHead ? time : tones[.., .., k];
        return stack([.. logits.Select((l, k) => nn.functional.cross_entropy(l.reshape(-1, l.shape[2]), Target(k).reshape(-1)))]).mean();
    }

    /// <summary>
    /// The noise of <paramref name="batch"/> windows of <paramref name="steps"/> tones, [batch, steps, noise], uniform on [0, 1):
    /// drawn afresh at every step, or with <see cref="ModelSettings.SongNoise"/> once a window and the same at every step of it.
    /// </summary>
    public Tensor Noise(long batch, long steps, torch.Generator? source = null) =>
        Settings.Model.SongNoise
            ? rand([batch, 1, Settings.Model.Noise], generator: source, device: Device).expand(batch, steps, Settings.Model.Noise)
            : rand([batch, steps, Settings.Model.Noise], generator: source, device: Device);

    public override (GameLoss Game, double? Likelihood) GameLosses(Tensor real, int epoch)
    {
        var timings = Timings(real);
        var (tones, relaxed) = FreeRun(real.shape[0], real.shape[1], Settings.GumbelTemperatureAt(epoch), timings: timings);
        var generated = DiscriminatorReadsFree(tones, relaxed, timings);

        var d = TypedDiscriminator;
        var game = Game.Play(d.Features, d.Logits, DiscriminatorReads(real), generated, Settings.GeneratorLoss);
        if (Settings.LikelihoodWeight <= 0)
            return (game, null);
        var nll = Likelihood(real);
        return (game with { Minimised = game.Minimised + Settings.LikelihoodWeight * nll }, nll.item<float>());
    }

    /// <summary>
    /// The start tone of <paramref name="batch"/> songs, [batch, previous_tone's columns]; each of the timing of its window's
    /// <paramref name="rows"/> when the generator reads the timing.
    /// </summary>
    private Tensor StartTones(long batch, Tensor rows)
    {
        var start = tensor(_rows.StartTone, device: Device).unsqueeze(0).expand(batch, -1);
        if (!_rows.Timing)
            return start;
        var width = _rows.PreviousWidth;
        return cat([start.narrow(1, 0, width - 1), rows[.., 0, (width - 1)..]], dim: 1);
    }

    /// <summary>Each window's song timing (the rows' last column), for songs run free beside them; null when not read.</summary>
    private SongTiming[]? Timings(Tensor real) =>
        _rows.Timing ? [.. real[.., 0, -1].cpu().to_type(ScalarType.Int32).data<int>().ToArray().Select(t => (SongTiming)t)] : null;

    /// <summary>
    /// What the discriminator reads of real windows [batch, steps, Σ classes + context]: their songs' tones as one-hots, and
    /// what it reads beside them (<see cref="ModelSettings.DiscriminatorPlace"/>, <see cref="ModelSettings.DiscriminatorIntervals"/>).
    /// </summary>
    public Tensor DiscriminatorReads(Tensor real)
    {
        var tones = Tones(real);
        var oneHots = TypedDiscriminator.OneHot(tones);
        if (!Settings.Model.DiscriminatorPlace)
            return WithIntervals(oneHots);
        // The last tone's row is never moved by a stray window, so the places are counted back from its onset.
        var steps = TimeSteps(tones);
        var first = Rows(real)[.., -1, ToneEncoding.PositionColumn] - steps.sum(1);
        return WithIntervals(cat([oneHots, Beside(steps, first, real[.., 0, -1])], dim: 2));
    }

    /// <summary>What the discriminator reads of songs run free from a bar's start: their relaxed tones and what it reads beside them.</summary>
    private Tensor DiscriminatorReadsFree(Tensor tones, Tensor relaxed, IReadOnlyList<SongTiming>? timings)
    {
        if (!Settings.Model.DiscriminatorPlace)
            return WithIntervals(relaxed);
        var batch = tones.shape[0];
        var timing = tensor(timings?.Select(t => (long)t).ToArray() ?? new long[batch], device: Device);
        return WithIntervals(cat([relaxed, Beside(TimeSteps(tones), zeros(batch, dtype: ScalarType.Int64, device: Device), timing)], dim: 2));
    }

    /// <summary>What the discriminator reads, the pitches' intervals last when it reads them (<see cref="ToneDiscriminator.Intervals"/>).</summary>
    private Tensor WithIntervals(Tensor read) =>
        Settings.Model.DiscriminatorIntervals
            ? cat([read, ToneDiscriminator.Intervals(read.narrow(2, 0, Vocabulary.Sizes[ToneVocabulary.PitchHead]))], dim: 2)
            : read;

    /// <summary>
    /// Beside each tone, where the tone before started within its sixteenth note, and the song's timing when the generator
    /// reads it, as one-hots [batch, steps, context]: from the tones' <paramref name="steps"/> [batch, steps] and the place
    /// of the onset before the first, <paramref name="first"/> [batch].
    /// </summary>
    private Tensor Beside(Tensor steps, Tensor first, Tensor timing)
    {
        var before = (first.unsqueeze(1) + steps.cumsum(1) - steps).remainder(ToneVocabulary.SixteenthSteps);
        var place = nn.functional.one_hot(before, ToneVocabulary.SixteenthSteps).to_type(ScalarType.Float32);
        if (!Settings.Model.Timing)
            return place;
        var song = nn.functional.one_hot(timing.to_type(ScalarType.Int64), 2).to_type(ScalarType.Float32);
        return cat([place, song.unsqueeze(1).expand(-1, steps.shape[1], -1)], dim: 2);
    }

    /// <summary>The 1/48-quarter steps of each tone's time class: [batch, steps].</summary>
    private Tensor TimeSteps(Tensor tones) => tensor(_timeSteps, device: Device)[tones[.., .., ToneVocabulary.TimeHead]];

    /// <summary>A window's song, as <see cref="ToneWindows"/> lays it out: [batch, steps, heads].</summary>
    private static Tensor Tones(Tensor windows) => windows.narrow(2, 0, ToneVocabulary.Heads.Count);

    /// <summary>What the generator reads after each of a window's tones: [batch, steps, previous_tone's columns].</summary>
    private static Tensor Rows(Tensor windows)
    {
        var from = ToneVocabulary.Heads.Count + 1;
        return windows.narrow(2, from, windows.shape[2] - from);
    }

    /// <summary>
    /// Runs the generator free for <paramref name="steps"/> tones from the start tone: its hard draws [batch, steps,
    /// heads] and the discriminator's view of them [batch, steps, Σ classes], relaxed at <paramref name="temperature"/>
    /// (or one-hot with the relaxed gradient when training straight through). What the generator reads after each tone
    /// (where it starts in its bar, its lookback) each song's <see cref="ToneFeedback"/> builds from the tones drawn, as
    /// the host does; each song of its timing in <paramref name="timings"/> (metered when null).
    /// </summary>
    public (Tensor Tones, Tensor Relaxed) FreeRun(
        long batch,
        long steps,
        double temperature,
        torch.Generator? source = null,
        IReadOnlyList<SongTiming>? timings = null
    )
    {
        var state = TypedGenerator.ZeroState(batch, Device);
        // The song's noise is drawn before its first step; noise drawn afresh is drawn step by step, as it always was.
        var songNoise = Settings.Model.SongNoise ? Noise(batch, 1, source).squeeze(1) : null;
        var feedback = new FeedbackBatch(_rows, (int)batch, timings);
        var heads = TypedGenerator.HeadSizes.Count;
        var (tones, relaxed) = (new List<Tensor>(), new List<Tensor>());
        for (var t = 0; t < steps; t++)
        {
            var previous = tensor(feedback.Rows, [batch, feedback.Columns], device: Device);
            Tensor output;
            var noise = songNoise ?? rand([batch, Settings.Model.Noise], generator: source, device: Device);
            (output, state) = TypedGenerator.Step(noise, previous, state);
            var draws = new Tensor[heads];
            var soft = new Tensor[heads];
            foreach (var k in TypedGenerator.DrawOrder)
            {
                // Heads in their draw order, so that the length head (and the pitch head) can read the time just drawn.
                var logits = TypedGenerator.Logits(output, k, draws[ToneVocabulary.TimeHead], previous);
                (draws[k], soft[k]) = Draw(logits, DrawTemperature(k), temperature, Settings.StraightThrough, source);
            }
            var tone = stack(draws, 1);
            var drawn = tone.cpu().to_type(ScalarType.Int32).data<int>().ToArray();
            for (var b = 0; b < batch; b++)
                feedback.Add(b, drawn.AsSpan(b * heads, heads));
            tones.Add(tone);
            relaxed.Add(cat(soft, 1));
        }
        return (stack(tones, 1), stack(relaxed, 1));
    }

    /// <summary>The temperature at which the game's free run draws head <paramref name="k"/>.</summary>
    private double DrawTemperature(int k) =>
        k switch
        {
            ToneVocabulary.PitchHead => Settings.GamePitchTemperature,
            ToneVocabulary.TimeHead => Settings.GameTimeTemperature,
            _ => 1,
        };

    /// <summary>
    /// One head's draw for each song [batch] from its <paramref name="logits"/> [batch, classes] at <paramref name="temperature"/>,
    /// by Gumbel-max (an exact draw from softmax(logits / temperature)), and what the discriminator reads of it [batch, classes]:
    /// the same Gumbel-perturbed logits relaxed at <paramref name="relaxation"/>, or the draw's one-hot with the relaxed
    /// gradient when <paramref name="straightThrough"/>.
    /// </summary>
    public static (Tensor Draw, Tensor Read) Draw(
        Tensor logits,
        double temperature,
        double relaxation,
        bool straightThrough,
        torch.Generator? source = null
    )
    {
        var uniform = rand(logits.shape, generator: source, device: logits.device).clamp(1e-10, 1 - 1e-7);
        var perturbed = logits / temperature - (-uniform.log()).log();
        var draw = perturbed.argmax(1);
        var read = nn.functional.softmax(perturbed / relaxation, 1);
        if (straightThrough)
            read = nn.functional.one_hot(draw, logits.shape[1]).to_type(ScalarType.Float32) - read.detach() + read;
        return (draw, read);
    }

    /// <summary>The likelihood; after pretraining, the game's losses on songs run free with noise from the same source.</summary>
    public override LossSummary ValidationLosses(Tensor real, bool pretraining, int epoch, torch.Generator source)
    {
        var likelihood = Likelihood(real, source).item<float>();
        if (pretraining)
            return new LossSummary(likelihood, null, null, null);
        var timings = Timings(real);
        var (tones, relaxed) = FreeRun(real.shape[0], real.shape[1], Settings.GumbelTemperatureAt(epoch), source, timings);
        var generated = TypedDiscriminator.Features(DiscriminatorReadsFree(tones, relaxed, timings));
        var realFeatures = TypedDiscriminator.Features(DiscriminatorReads(real));
        return Game.Losses(TypedDiscriminator.Logits, realFeatures, generated, generated, Settings.GeneratorLoss).Summary(likelihood);
    }

    public override IReadOnlyList<IReadOnlyList<Tone>> Sample(int count, ulong seed)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Generator.eval();
        var timings = Enumerable.Range(0, count).Select(i => _rows.TimingOf(seed + (ulong)i)).ToList();
        var tones = FreeRun(count, Settings.SequenceLength, 1, new torch.Generator(seed, Device), timings).Tones;
        var indices = tones.cpu().to_type(ScalarType.Int32).data<int>().ToArray();
        var width = indices.Length / count;
        return [.. Enumerable.Range(0, count).Select(i => (IReadOnlyList<Tone>)Vocabulary.Decode(indices.AsSpan(i * width, width)))];
    }

    public override string? Describe(IReadOnlyList<Song> training)
    {
        var (time, length, velocity) = Vocabulary.Coverage(training.Select(s => s.Tones));
        return $"Bins: {Vocabulary.TimeBins.Count} time deltas ({time:P1} of the training songs' exactly), {Vocabulary.LengthBins.Count} lengths "
            + $"({length:P1}), {Vocabulary.VelocityBins.Count} velocities ({velocity:P1}).";
    }

    public override ToneEncoding Encoding(float defaultTemperature, float lengthTemperature) =>
        new(
            Vocabulary,
            TypedGenerator.LengthGivenTime,
            defaultTemperature,
            lengthTemperature,
            BarPosition: TypedGenerator.BarPosition,
            LookbackBars: TypedGenerator.LookbackBars,
            MeteredShare: MeteredShare,
            PitchGivenTime: TypedGenerator.PitchGivenTime,
            TimeInStep: TypedGenerator.PitchGivenTime,
            SongNoise: Settings.Model.SongNoise
        );

    public override byte[] Export(ModelMetadata metadata) => OnnxExporter.Export(TypedGenerator, metadata);

    public override ParityReport Parity(byte[] onnx, int batch, int steps, ulong seed) => ParityCheck.Run(TypedGenerator, onnx, batch, steps, seed);
}
