using System.Text.Json;
using System.Text.Json.Serialization;

namespace CrnnGan.Training.Training;

public enum OptimizerKind
{
    Sgd,
    Adam,
}

public enum GeneratorLoss
{
    /// <summary>
    /// The paper's choice, as in Salimans et al. (2016), which it follows: the squared difference between the
    /// batch means of the discriminator's r_t on real and on generated sequences.
    /// </summary>
    FeatureMatching,

    /// <summary>
    /// The reference code's feature matching: sample i's r_t against real sample i's. Its optimum is every sample
    /// at the mean of real features, so it drives the generator to one average song (mode collapse).
    /// </summary>
    PairedFeatureMatching,

    /// <summary>
    /// Feature matching of the batch's spread as well as its mean: the squared differences between the batch means and
    /// between the batch standard deviations of r_t on real and on generated sequences. Matching the mean alone is met by
    /// windows all alike near real music's average; real pieces differ from one another.
    /// </summary>
    MomentMatching,

    /// <summary>The paper's minimax loss, mean log(1 − D(G(z))).</summary>
    Minimax,

    /// <summary>The reference code's −log D(G(z)).</summary>
    NonSaturating,
}

/// <summary>
/// Everything that decides a training run. The defaults are the paper's configuration (Mogren 2016,
/// section 3) where it gives one; the L2 coefficient, which it does not give, is ours.
/// </summary>
public sealed record TrainingSettings
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The same conventions on one line, for JSON-lines logs.</summary>
    public static readonly JsonSerializerOptions Compact = new(Json)
    {
        WriteIndented = false,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    public ModelSettings Model { get; init; } = new();

    /// <summary>Epochs in all, pretraining included.</summary>
    public int Epochs { get; init; } = 100;

    /// <summary>Epochs of maximum-likelihood pretraining of the generator alone, with teacher forcing.</summary>
    public int PretrainingEpochs { get; init; } = 6;

    /// <summary>Train by pretraining alone for every epoch: the paper's maximum-likelihood baseline.</summary>
    public bool PretrainingOnly { get; init; }

    public int BatchSize { get; init; } = 20;

    /// <summary>Steps per training window.</summary>
    public int SequenceLength { get; init; } = 100;

    /// <summary>
    /// Window length grows by this many steps each epoch, from this many, up to <see cref="SequenceLength"/>; 0 trains on full windows from the
    /// start.
    /// </summary>
    public int CurriculumStep { get; init; } = 4;

    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;

    public double GeneratorLearningRate { get; init; } = 0.1;

    public double DiscriminatorLearningRate { get; init; } = 0.05;

    /// <summary>
    /// The generator's learning rate while pretraining; unset, <see cref="GeneratorLearningRate"/>. Set apart,
    /// maximum likelihood can learn fast and the adversarial phase can then move the generator gently from it.
    /// </summary>
    public double? PretrainingLearningRate { get; init; }

    /// <summary>
    /// The learning rate of the generator's tables that start at 0 (<see cref="GanFamily.StartsAtZero"/>), as a multiple of
    /// the generator's. With Adam a weight moves about a learning rate a step, so a table added to a trained model at 0
    /// needs a larger one to reach its size in the few epochs a fine-tuning run has. 1: the same as the rest.
    /// </summary>
    public double TableLearningRateFactor { get; init; } = 1;

    /// <summary>
    /// The tone family: the share of the metered songs' training windows in which one onset strays from the sixteenth
    /// grid and the next comes back (<see cref="ToneWindows"/>), so that the generator learns the way back to the beat that
    /// real songs, which do not stray, never show. 0: none.
    /// </summary>
    public double RecoveryWindows { get; init; }

    /// <summary>
    /// The tone family: a training window's bar places and lookback read from its tones' own onsets, as a generated song's
    /// are (its onsets are its time classes added up). false: from the time classes added up, as runs before it did; the
    /// time bins hold few of the times over three quarters of a beat, so each such time shifts every place after it, and
    /// the metered songs' onsets fell on the sixteenths 58% of the time where 85% truly do.
    /// </summary>
    public bool OnsetPlaces { get; init; }

    /// <summary>Gradients of each network are clipped to this global norm.</summary>
    public double MaxGradientNorm { get; init; } = 5;

    /// <summary>L2 penalty on the weights, applied as weight decay by the optimisers.</summary>
    public double L2 { get; init; } = 1e-4;

    public GeneratorLoss GeneratorLoss { get; init; } = GeneratorLoss.FeatureMatching;

    /// <summary>
    /// Whether the generator keeps its dropout in the adversarial phase, as the reference does (which also
    /// samples with it). Off, the discriminator judges, and the generator learns, the songs that the exported
    /// generator, which has no dropout, gives.
    /// </summary>
    public bool GeneratorDropoutInGame { get; init; } = true;

    /// <summary>
    /// Whether the discriminator reads generated pitches rounded to semitones, as decoding rounds them, with a
    /// straight-through gradient (the rounding counts as the identity going back). Off, as in the paper, it reads
    /// the generator's continuous pitches, between the semitones that real songs use.
    /// </summary>
    public bool RoundGeneratedPitch { get; init; }

    /// <summary>
    /// The tone family: the weight of maximum likelihood (teacher-forced cross-entropy on the real batch) in the
    /// generator's adversarial loss, which keeps the game near the data; 0 leaves the game alone.
    /// </summary>
    public double LikelihoodWeight { get; init; }

    /// <summary>
    /// The tone family: the Gumbel-softmax temperature at which the discriminator reads generated tones in the first
    /// adversarial epoch; it falls geometrically to <see cref="GumbelTemperatureEnd"/> over <see cref="GumbelAnnealingEpochs"/>
    /// adversarial epochs and stays there (RelGAN's annealing).
    /// </summary>
    public double GumbelTemperatureStart { get; init; } = 1;

    public double GumbelTemperatureEnd { get; init; } = 0.1;

    public int GumbelAnnealingEpochs { get; init; } = 20;

    /// <summary>
    /// The tone family: the temperature at which the game's free run draws each tone's pitch (the length and velocity at
    /// 1): the one the exported model is to be drawn at, so that the discriminator and feature matching judge the songs its
    /// users will hear; 1 draws as the softmax says, as trained by likelihood.
    /// </summary>
    public double GamePitchTemperature { get; init; } = 1;

    /// <summary>The tone family: as <see cref="GamePitchTemperature"/>, for the time since the tone before.</summary>
    public double GameTimeTemperature { get; init; } = 1;

    /// <summary>
    /// The tone family: the discriminator reads generated tones as exact one-hots, with the relaxed tones'
    /// gradient (straight-through Gumbel-softmax), instead of the relaxed tones themselves.
    /// </summary>
    public bool StraightThrough { get; init; }

    /// <summary>
    /// The tone family: a checkpoint, or an exported fp32 model (.onnx), whose generator (and bins) this run starts
    /// from, so that the adversarial game can start from a maximum-likelihood run's epoch; null starts from random weights.
    /// </summary>
    public string? GeneratorFrom { get; init; }

    /// <summary>The tone family: windows transposed to C major / A minor by their best-fitting scale.</summary>
    public bool KeyNormalisation { get; init; } = true;

    /// <summary>A network skips its update while its loss is below this share of the other's; 0 never freezes.</summary>
    public double FreezeRatio { get; init; } = 0.7;

    /// <summary>Songs sampled at the end of every epoch to log the paper's statistics.</summary>
    public int StatisticsSamples { get; init; } = 20;

    /// <summary>Write sampled songs as MIDI every this many epochs; 0 never.</summary>
    public int SampleEvery { get; init; } = 5;

    public int SamplesWritten { get; init; } = 4;

    /// <summary>
    /// Keep a copy of the checkpoint every this many epochs in checkpoints/, to choose an epoch afterwards; 0 keeps only the latest.
    /// </summary>
    public int KeepCheckpointEvery { get; init; }

    public ulong Seed { get; init; }

    /// <summary>Window length in a given (0-based) epoch.</summary>
    public int SequenceLengthAt(int epoch) => CurriculumStep <= 0 ? SequenceLength : Math.Min(SequenceLength, (epoch + 1) * CurriculumStep);

    public bool IsPretraining(int epoch) => PretrainingOnly || epoch < PretrainingEpochs;

    /// <summary>The Gumbel-softmax temperature in a given (0-based) adversarial epoch.</summary>
    public double GumbelTemperatureAt(int epoch)
    {
        var progress = Math.Clamp((epoch - PretrainingEpochs) / (double)Math.Max(1, GumbelAnnealingEpochs), 0, 1);
        return GumbelTemperatureStart * Math.Pow(GumbelTemperatureEnd / GumbelTemperatureStart, progress);
    }

    /// <summary>The generator's learning rate in a given (0-based) epoch.</summary>
    public double GeneratorLearningRateAt(int epoch) =>
        IsPretraining(epoch) ? PretrainingLearningRate ?? GeneratorLearningRate : GeneratorLearningRate;

    /// <summary>
    /// Whether a run trained with these settings can continue under <paramref name="next"/>: only the number of
    /// epochs, the sampling and the checkpoints kept may change, since anything else would make the resumed run another run.
    /// </summary>
    public bool CanBeResumedAs(TrainingSettings next) => DifferencesFrom(next).Count == 0;

    /// <summary>The settings that differ from <paramref name="next"/> beyond epochs, sampling and checkpoints kept, as "name: old → new".</summary>
    public IReadOnlyList<string> DifferencesFrom(TrainingSettings next)
    {
        var comparable = next with
        {
            Epochs = Epochs,
            SampleEvery = SampleEvery,
            SamplesWritten = SamplesWritten,
            StatisticsSamples = StatisticsSamples,
            KeepCheckpointEvery = KeepCheckpointEvery,
        };
        var mine = JsonSerializer.SerializeToElement(this, Json);
        var theirs = JsonSerializer.SerializeToElement(comparable, Json);
        return
        [
            .. Flatten(mine, "")
                .Zip(Flatten(theirs, ""))
                .Where(p => p.First.Value != p.Second.Value)
                .Select(p => $"{p.First.Name}: {p.First.Value} → {p.Second.Value}"),
        ];

        static IEnumerable<(string Name, string Value)> Flatten(JsonElement element, string prefix) =>
            element.ValueKind == JsonValueKind.Object
                ? element.EnumerateObject().SelectMany(p => Flatten(p.Value, prefix + p.Name + "."))
                : [(prefix.TrimEnd('.'), element.GetRawText())];
    }

    /// <summary>Every setting out of range, each named; empty when the settings can be trained with.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        void Require(bool ok, string problem)
        {
            if (!ok)
                problems.Add(problem);
        }

        Require(Model.TonesPerStep is >= 1 and <= 8, $"tones_per_step must be between 1 and 8, not {Model.TonesPerStep}");
        Require(Model.HiddenSize >= 1, $"hidden_size must be at least 1, not {Model.HiddenSize}");
        Require(Model.Layers >= 1, $"layers must be at least 1, not {Model.Layers}");
        Require(Model.NoiseSize >= 0, $"noise_size must be 0 (as wide as a step) or more, not {Model.NoiseSize}");
        Require(FeatureScaling.IsPitchDivisor(Model.PitchDivisor), $"pitch_divisor must be a power of two from 1 to 128, not {Model.PitchDivisor}");
        Require(Model.Dropout is >= 0 and < 1, $"dropout must be in [0, 1), not {Model.Dropout}");
        Require(
            Model.DiscriminatorInputDropout is null or (>= 0 and < 1),
            $"discriminator_input_dropout must be in [0, 1), not {Model.DiscriminatorInputDropout}"
        );
        Require(Epochs >= 1, $"epochs must be at least 1, not {Epochs}");
        Require(PretrainingEpochs >= 0, $"pretraining_epochs must be 0 or more, not {PretrainingEpochs}");
        Require(BatchSize >= 1, $"batch_size must be at least 1, not {BatchSize}");
        Require(SequenceLength >= 2, $"sequence_length must be at least 2, not {SequenceLength}");
        Require(CurriculumStep >= 0, $"curriculum_step must be 0 or more, not {CurriculumStep}");
        Require(GeneratorLearningRate > 0, $"generator_learning_rate must be above 0, not {GeneratorLearningRate}");
        Require(DiscriminatorLearningRate > 0, $"discriminator_learning_rate must be above 0, not {DiscriminatorLearningRate}");
        Require(PretrainingLearningRate is null or > 0, $"pretraining_learning_rate must be above 0, not {PretrainingLearningRate}");
        Require(RecoveryWindows is >= 0 and <= 1, $"recovery_windows must be from 0 to 1, not {RecoveryWindows}");
        Require(!OnsetPlaces || Model.Family == ModelFamily.Tones, "onset_places is for the tone family, whose windows have places in the bar");
        Require(TableLearningRateFactor > 0, $"table_learning_rate_factor must be above 0, not {TableLearningRateFactor}");
        Require(MaxGradientNorm > 0, $"max_gradient_norm must be above 0, not {MaxGradientNorm}");
        Require(L2 >= 0, $"l2 must be 0 or more, not {L2}");
        Require(FreezeRatio is >= 0 and < 1, $"freeze_ratio must be in [0, 1), not {FreezeRatio}");
        Require(StatisticsSamples >= 1, $"statistics_samples must be at least 1, not {StatisticsSamples}");
        Require(SampleEvery >= 0, $"sample_every must be 0 or more, not {SampleEvery}");
        Require(SamplesWritten >= 0, $"samples_written must be 0 or more, not {SamplesWritten}");
        Require(Model.EmbeddingSize >= 1, $"embedding_size must be at least 1, not {Model.EmbeddingSize}");
        Require(Model.TimeBins >= 2, $"time_bins must be at least 2 (0 and another), not {Model.TimeBins}");
        Require(Model.LengthBins >= 1, $"length_bins must be at least 1, not {Model.LengthBins}");
        Require(Model.VelocityBins >= 1, $"velocity_bins must be at least 1, not {Model.VelocityBins}");
        Require(Model.LengthGivenTime >= 0, $"length_given_time must be 0 (none) or more, not {Model.LengthGivenTime}");
        Require(
            !Model.BarPosition || Model.Family == ModelFamily.Tones && Model.LengthGivenTime > 0,
            "bar_position is for the tone family with a length head that reads the time (length_given_time above 0)"
        );
        Require(
            Model.LookbackBars is >= 0 and <= ToneEncoding.MaxLookbackBars && (Model.LookbackBars == 0 || Model.BarPosition),
            $"lookback_bars is 0 (none) to {ToneEncoding.MaxLookbackBars}, with bar_position, not {Model.LookbackBars}"
        );
        Require(
            Model.PitchGivenTime == 0 || Model.Family == ModelFamily.Tones && Model.PitchGivenTime > 0 && Model.LengthGivenTime > 0,
            $"pitch_given_time is 0 (none) or more, for the tone family with a length head that reads the time, not {Model.PitchGivenTime}"
        );
        Require(
            !Model.SongNoise || Model.PitchGivenTime > 0,
            "song_noise is for a tone generator whose pitch reads the time (pitch_given_time), whose step draws the time once exported"
        );
        Require(
            !Model.DiscriminatorPlace || Model.BarPosition,
            "discriminator_place reads the places that bar_position tracks: it needs bar_position"
        );
        Require(
            !Model.DiscriminatorIntervals || Model.Family == ModelFamily.Tones,
            "discriminator_intervals reads the tone family's pitches: it needs family tones"
        );
        Require(
            !Model.DiscriminatorSummary || Model.Family == ModelFamily.Tones,
            "discriminator_summary reads the tone family's tones: it needs family tones"
        );
        Require(!Model.LookbackCopy || Model.LookbackBars > 0, "lookback_copy copies from the lookback: it needs lookback_bars above 0");
        Require(LikelihoodWeight >= 0, $"likelihood_weight must be 0 or more, not {LikelihoodWeight}");
        Require(
            GumbelTemperatureStart > 0 && GumbelTemperatureEnd > 0,
            $"gumbel_temperature_start and _end must be above 0, not {GumbelTemperatureStart} and {GumbelTemperatureEnd}"
        );
        Require(
            GamePitchTemperature > 0 && GameTimeTemperature > 0,
            $"game_pitch_temperature and game_time_temperature must be above 0, not {GamePitchTemperature} and {GameTimeTemperature}"
        );
        Require(KeepCheckpointEvery >= 0, $"keep_checkpoint_every must be 0 or more, not {KeepCheckpointEvery}");
        return problems;
    }

    public static TrainingSettings Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<TrainingSettings>(File.ReadAllText(path), Json)
                ?? throw new InvalidDataException($"The settings file {path} is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The settings file {path} is not valid: {e.Message}", e);
        }
    }
}
