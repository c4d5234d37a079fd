namespace CrnnGan.Inference.Features;

/// <summary>A song as model steps: a row-major [steps × features] matrix in musical units (see <see cref="StepEncoder"/>).</summary>
public sealed class StepSequence
{
    public StepSequence(StepLayout layout, float[] values)
    {
        if (values.Length % layout.FeaturesPerStep != 0)
            throw new ArgumentException($"{values.Length} values do not make whole steps of {layout.FeaturesPerStep} features.", nameof(values));
        Layout = layout;
        Values = values;
    }

    public StepLayout Layout { get; }

    public float[] Values { get; }

    public int Steps => Values.Length / Layout.FeaturesPerStep;

    public ReadOnlySpan<float> Step(int index) => Values.AsSpan(index * Layout.FeaturesPerStep, Layout.FeaturesPerStep);

    /// <summary>
    /// Steps [start, start + length); steps past the end are zeros (no tones), as the reference pads songs
    /// shorter than a training window.
    /// </summary>
    public StepSequence Window(int start, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var width = Layout.FeaturesPerStep;
        var window = new float[length * width];
        var available = Math.Clamp(Steps - start, 0, length);
        Values.AsSpan(start * width, available * width).CopyTo(window);
        return new StepSequence(Layout, window);
    }
}
