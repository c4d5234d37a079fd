namespace CrnnGan.Inference.Features;

/// <summary>A song as model steps: a row-major [steps × features] matrix in musical units (see <see cref="StepEncoder"/>).</summary>
public sealed class StepSequence
{
    /// <summary>Steps of <paramref name="layout"/> stored one after another in <paramref name="values"/>.</summary>
    public StepSequence(StepLayout layout, float[] values)
    {
        if (values.Length % layout.FeaturesPerStep != 0)
            throw new ArgumentException($"{values.Length} values do not make whole steps of {layout.FeaturesPerStep} features.", nameof(values));
        Layout = layout;
        Values = values;
    }

    /// <summary>What each step holds.</summary>
    public StepLayout Layout { get; }

    /// <summary>Every step's features, one step after another.</summary>
    public float[] Values { get; }

    /// <summary>How many steps there are.</summary>
    public int Steps => Values.Length / Layout.FeaturesPerStep;

    /// <summary>The features of step <paramref name="index"/>.</summary>
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
