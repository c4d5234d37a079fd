namespace CrnnGan.Inference.Features;

/// <summary>
/// The normalisation between musical units and what the networks see. Every feature is multiplied by a
/// power of two (time in quarter notes × 1, pitch ÷ 128, velocity ÷ 128), so that all inputs are of order 1,
/// zero still means "no tone", and the inverse is exact: a power-of-two factor changes only a float's
/// exponent, so Denormalise(Normalise(x)) == x bit for bit. The reference feeds raw ticks, Hz and
/// velocities; its author left normalising open.
/// </summary>
public static class FeatureScaling
{
    public const float TimeScale = 1f;
    public const float PitchScale = 1f / 128;
    public const float VelocityScale = 1f / 128;

    /// <summary>The factor each feature of a step is multiplied by.</summary>
    public static float[] Factors(StepLayout layout)
    {
        var factors = new float[layout.FeaturesPerStep];
        factors[StepLayout.TimeDeltaIndex] = TimeScale;
        for (var t = 0; t < layout.TonesPerStep; t++)
        {
            factors[StepLayout.LengthIndex(t)] = TimeScale;
            factors[StepLayout.PitchIndex(t)] = PitchScale;
            factors[StepLayout.VelocityIndex(t)] = VelocityScale;
        }
        return factors;
    }

    public static void Normalise(Span<float> steps, StepLayout layout) => Scale(steps, Factors(layout), invert: false);

    public static void Denormalise(Span<float> steps, StepLayout layout) => Scale(steps, Factors(layout), invert: true);

    private static void Scale(Span<float> steps, float[] factors, bool invert)
    {
        var width = factors.Length;
        if (steps.Length % width != 0)
            throw new ArgumentException($"{steps.Length} values do not make whole steps of {width} features.", nameof(steps));
        for (var i = 0; i < steps.Length; i++)
            steps[i] = invert ? steps[i] / factors[i % width] : steps[i] * factors[i % width];
    }
}
