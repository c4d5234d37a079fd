namespace CrnnGan.Inference.Features;

/// <summary>
/// What one time step of the model holds. The paper's C-RNN-GAN has one tone per step:
/// [time since the previous step's onset, length, pitch, velocity]. C-RNN-GAN-3 packs up to three tones that
/// start together: [time delta, (length, pitch, velocity) × 3], absent tones all zero; a larger chord spills
/// into the next step with time delta 0.
/// </summary>
public sealed record StepLayout
{
    /// <summary>The most tones one step can hold.</summary>
    public const int MaxTonesPerStep = 8;

    /// <summary>A layout of <paramref name="tonesPerStep"/> tones per step (1 to <see cref="MaxTonesPerStep"/>).</summary>
    public StepLayout(int tonesPerStep)
    {
        if (tonesPerStep is < 1 or > MaxTonesPerStep)
            throw new ArgumentOutOfRangeException(nameof(tonesPerStep), tonesPerStep, $"Tones per step must be between 1 and {MaxTonesPerStep}.");
        TonesPerStep = tonesPerStep;
    }

    /// <summary>C-RNN-GAN: one tone per step.</summary>
    public static StepLayout Monophonic { get; } = new(1);

    /// <summary>C-RNN-GAN-3: up to three simultaneous tones per step.</summary>
    public static StepLayout Polyphonic3 { get; } = new(3);

    /// <summary>How many tones one step holds.</summary>
    public int TonesPerStep { get; }

    /// <summary>Numbers per step: the time since the previous step, then length, pitch and velocity of each tone.</summary>
    public int FeaturesPerStep => 1 + 3 * TonesPerStep;

    /// <summary>Where the time since the previous step is.</summary>
    public static int TimeDeltaIndex => 0;

    /// <summary>Where the length of tone <paramref name="tone"/> of the step is.</summary>
    public static int LengthIndex(int tone) => 1 + 3 * tone;

    /// <summary>Where the pitch of tone <paramref name="tone"/> of the step is.</summary>
    public static int PitchIndex(int tone) => 2 + 3 * tone;

    /// <summary>Where the velocity of tone <paramref name="tone"/> of the step is.</summary>
    public static int VelocityIndex(int tone) => 3 + 3 * tone;

    /// <summary>Feature names in order, e.g. time_delta, length_0, pitch_0, velocity_0, length_1, ...</summary>
    public IReadOnlyList<string> FeatureNames =>
        ["time_delta", .. Enumerable.Range(0, TonesPerStep).SelectMany(i => new[] { $"length_{i}", $"pitch_{i}", $"velocity_{i}" })];
}
