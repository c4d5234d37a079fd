using System.Text.Json.Serialization;

namespace CrnnGan.Training.Model;

/// <summary>What a step of the networks is.</summary>
public enum ModelFamily
{
    /// <summary>The paper's: each step is real-valued features, regressed.</summary>
    Continuous,

    /// <summary>Ours: each step is one tone of categorical heads (see <see cref="ToneGenerator"/>).</summary>
    Tones,
}

/// <summary>
/// The sizes of C-RNN-GAN's networks. The defaults are the paper's: one tone per step, two LSTM layers of
/// 350 units in each network, dropout 0.5, a uniform noise vector as wide as a step, and a discriminator that
/// reads the same features as the generator writes.
/// </summary>
/// <param name="PitchDivisor">Ours: the networks see pitch ÷ this (see <see cref="FeatureScaling.DefaultPitchDivisor"/>).</param>
/// <param name="DiscriminatorPitchClass">Ours, off in the paper's configuration: the discriminator also reads each
/// tone's pitch class, as a point on a circle (see <see cref="Discriminator"/>).</param>
/// <param name="DiscriminatorInputDropout">The dropout on what the discriminator reads; null, as in the reference,
/// means <paramref name="Dropout"/>.</param>
/// <param name="Family">The paper's continuous steps, or one tone of categorical heads per step.</param>
/// <param name="EmbeddingSize">The tone family: the width of each head's embedding of the tone before.</param>
/// <param name="TimeBins">The tone family: classes of time since the previous onset, chosen from the corpus (0 among them).</param>
/// <param name="LengthBins">The tone family: classes of tone length, chosen from the corpus.</param>
/// <param name="VelocityBins">The tone family: classes of velocity, chosen from the corpus.</param>
/// <param name="LengthGivenTime">The tone family: the width of the length head's correction that reads the tone's drawn
/// time (<see cref="TimedLength"/>); 0, none: the heads are drawn apart.</param>
/// <param name="BarPosition">The tone family: the generator also reads where the tone before started in its 4-quarter bar
/// (<see cref="ToneVocabulary.BarSteps"/> places on the 1/48-quarter grid), tracked from the time classes drawn, so that
/// it knows where the beat is (contract version 4).</param>
/// <param name="LookbackBars">The tone family, with <paramref name="BarPosition"/>: the generator also reads, for each of
/// this many last bars, what came next that many bars earlier and whether the tone before repeats it
/// (<see cref="ToneFeedback"/>), so that it can bring a motif back (contract version 5); 0, none.</param>
/// <param name="LookbackCopy">The tone family, with <paramref name="LookbackBars"/>: the lookback's next pitch and time are also
/// copied straight into the pitch and time logits with a learnt weight (<see cref="Model.LookbackCopy"/>); the contract is
/// the same.</param>
/// <param name="Timing">The tone family, with <paramref name="BarPosition"/>: the generator also reads its song's
/// <see cref="SongTiming"/>, metered or free, the same at every step, so that a metered song stays on the beat however long
/// it grows (contract version 6).</param>
/// <param name="TimeGivenPlace">The tone family, with <paramref name="BarPosition"/>: the time logits also get a learnt row for
/// where the tone before started within its sixteenth note (and, with <paramref name="Timing"/>, for its song's timing), a
/// direct path from an onset off the grid to the times that land the next back on it; the contract is the same.</param>
/// <param name="DiscriminatorPlace">The tone family: the discriminator also reads, beside each tone, where the tone before
/// started within its sixteenth note (and, with <paramref name="Timing"/>, the song's timing), so that it can tell a time that
/// leaves or misses the grid in a metered song from one that keeps it (<see cref="ToneDiscriminator"/>); the generator and
/// the contract are the same.</param>
/// <param name="DiscriminatorIntervals">The tone family: the discriminator also reads, beside each tone, the interval from the
/// tone before, in semitones from −<see cref="ToneDiscriminator.IntervalReach"/> to +<see cref="ToneDiscriminator.IntervalReach"/>,
/// so that it can tell close-voiced chords and stepwise runs from real music's spread voicings and leaps without working out
/// differences of pitches through its LSTM (<see cref="ToneDiscriminator.Intervals"/>); the generator and the contract are the
/// same.</param>
/// <param name="DiscriminatorSummary">The tone family: every step's features in the discriminator also carry its window's
/// statistics (<see cref="WindowSummary"/>: histograms of pitch classes, intervals, times, lengths and velocities, the share of
/// unique pitches and of 3-tone repetitions, the pitches' mean and spread), which its score reads and feature matching matches,
/// so that the game sees what the evaluation's two-sample test does; the generator and the contract are the same.</param>
/// <param name="PitchGivenTime">The tone family: the width of the pitch head's correction that reads the tone's drawn time
/// (<see cref="TimedLength"/>), drawn first: a tone at the onset of the tone before is a chord's next key, above it; 0,
/// none: pitch and time are drawn apart. At the time 0 the pitches at or below the tone before are masked (contract version 7).</param>
/// <param name="SongNoise">The tone family, with <paramref name="PitchGivenTime"/>: the generator's noise is drawn once a window
/// (a song) and read at every step of it, rather than afresh at every step, so that it can say what kind of song this one is
/// (contract version 9, the same graph as version 8); the weights are those of a generator without it.</param>
public sealed record ModelSettings(
    int TonesPerStep = 1,
    int HiddenSize = 350,
    int Layers = 2,
    int NoiseSize = 0,
    double Dropout = 0.5,
    int PitchDivisor = FeatureScaling.DefaultPitchDivisor,
    bool DiscriminatorPitchClass = false,
    double? DiscriminatorInputDropout = null,
    ModelFamily Family = ModelFamily.Continuous,
    int EmbeddingSize = 32,
    int TimeBins = 48,
    int LengthBins = 64,
    int VelocityBins = 16,
    int LengthGivenTime = 0,
    bool BarPosition = false,
    int LookbackBars = 0,
    bool LookbackCopy = false,
    bool Timing = false,
    bool TimeGivenPlace = false,
    bool DiscriminatorPlace = false,
    bool DiscriminatorIntervals = false,
    int PitchGivenTime = 0,
    bool DiscriminatorSummary = false,
    bool SongNoise = false
)
{
    [JsonIgnore]
    public StepLayout Layout => new(TonesPerStep);

    [JsonIgnore]
    public int Features => Layout.FeaturesPerStep;

    /// <summary>Width of z_t; 0 means as wide as a step, as in the paper.</summary>
    [JsonIgnore]
    public int Noise => NoiseSize > 0 ? NoiseSize : Features;

    /// <summary>The factor each feature of a step is multiplied by, as the networks see it.</summary>
    [JsonIgnore]
    public float[] FeatureScale => FeatureScaling.Factors(Layout, PitchDivisor);

    /// <summary>
    /// What the discriminator reads per step: the step's features, and two more per tone with <see cref="DiscriminatorPitchClass"/>.
    /// </summary>
    [JsonIgnore]
    public int DiscriminatorInputs => Features + (DiscriminatorPitchClass ? 2 * TonesPerStep : 0);

    /// <summary>
    /// The tone family: what the discriminator reads beside each tone's one-hots (<see cref="DiscriminatorPlace"/>,
    /// <see cref="DiscriminatorIntervals"/>).
    /// </summary>
    [JsonIgnore]
    public int DiscriminatorContext =>
        (DiscriminatorPlace ? ToneVocabulary.SixteenthSteps + (Timing ? 2 : 0) : 0)
        + (DiscriminatorIntervals ? ToneDiscriminator.IntervalClasses : 0);

    /// <summary>
    /// These settings with <paramref name="other"/>'s where they leave the generator's weights as they are (the discriminator's,
    /// and how its noise is drawn): what a generator taken from a run of these settings must match.
    /// </summary>
    public ModelSettings WithWeightlessSettingsOf(ModelSettings other) =>
        this with
        {
            DiscriminatorPlace = other.DiscriminatorPlace,
            DiscriminatorIntervals = other.DiscriminatorIntervals,
            DiscriminatorSummary = other.DiscriminatorSummary,
            SongNoise = other.SongNoise,
        };
}
