namespace CrnnGan.Inference.Features;

/// <summary>
/// The normalisation between musical units and what the networks see. Every feature is multiplied by a
/// power of two (time in quarter notes × 1, pitch ÷ a pitch divisor, velocity ÷ 128), so that inputs are of
/// order 1, zero still means "no tone", and the inverse is exact: a power-of-two factor changes only a float's
/// exponent, so Denormalise(Normalise(x)) == x bit for bit. A model records its factors in its metadata
/// (<c>crnngan.feature_scale</c>), and generation uses the model's own. The reference feeds raw ticks, Hz and
/// velocities; its author left normalising open.
/// </summary>
public static class FeatureScaling
{
    /// <summary>Time features (quarter notes) are kept as they are.</summary>
    public const float TimeScale = 1f;

    /// <summary>Velocities (0–127) are divided by 128.</summary>
    public const float VelocityScale = 1f / 128;

    /// <summary>
    /// Pitch ÷ 128 puts every MIDI note in [0, 1), but a semitone is then 0.008, and a squared error weighs a wrong
    /// semitone 6·10⁻⁵, thousands of times less than a wrong sixteenth note: the generator learns timing and
    /// barely pitch. A smaller divisor makes a semitone count.
    /// </summary>
    public const int DefaultPitchDivisor = 128;

    /// <summary>The factor each feature of a step is multiplied by.</summary>
    public static float[] Factors(StepLayout layout, int pitchDivisor = DefaultPitchDivisor)
    {
        if (!IsPitchDivisor(pitchDivisor))
            throw new ArgumentOutOfRangeException(nameof(pitchDivisor), pitchDivisor, "The pitch divisor must be a power of two from 1 to 128.");
        var factors = new float[layout.FeaturesPerStep];
        factors[StepLayout.TimeDeltaIndex] = TimeScale;
        for (var t = 0; t < layout.TonesPerStep; t++)
        {
            factors[StepLayout.LengthIndex(t)] = TimeScale;
            factors[StepLayout.PitchIndex(t)] = 1f / pitchDivisor;
            factors[StepLayout.VelocityIndex(t)] = VelocityScale;
        }
        return factors;
    }

    /// <summary>Whether <paramref name="divisor"/> keeps the inverse exact (a power of two) and notes of order 1 (at most 128).</summary>
    public static bool IsPitchDivisor(int divisor) => divisor is >= 1 and <= 128 && int.IsPow2(divisor);

    /// <summary>Divides each step's features by <paramref name="factors"/> (one per feature), in place.</summary>
    public static void Normalise(Span<float> steps, IReadOnlyList<float> factors) => Scale(steps, factors, invert: false);

    /// <summary>
    /// Multiplies each step's features by <paramref name="factors"/> (one per feature), in place: the inverse of <see cref="Normalise"/>.
    /// </summary>
    public static void Denormalise(Span<float> steps, IReadOnlyList<float> factors) => Scale(steps, factors, invert: true);

    private static void Scale(Span<float> steps, IReadOnlyList<float> factors, bool invert)
    {
        var width = factors.Count;
        if (steps.Length % width != 0)
            throw new ArgumentException($"{steps.Length} values do not make whole steps of {width} features.", nameof(steps));
        for (var i = 0; i < steps.Length; i++)
            steps[i] = invert ? steps[i] / factors[i % width] : steps[i] * factors[i % width];
    }
}
