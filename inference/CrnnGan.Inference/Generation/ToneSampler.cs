using CrnnGan.Inference.Features;

namespace CrnnGan.Inference.Generation;

/// <summary>
/// Draws a class from a head's logits: softmax(logits / temperature) by its cumulative distribution at a given
/// uniform number, so that the host and the export parity check, given the same uniforms and logits, draw the
/// same class. Temperature 0 takes the most likely class.
/// </summary>
public static class ToneSampler
{
    public static int Draw(ReadOnlySpan<float> logits, float temperature, float uniform)
    {
        var max = 0;
        for (var i = 1; i < logits.Length; i++)
        {
            if (logits[i] > logits[max])
                max = i;
        }
        if (temperature <= 0)
            return max;

        var total = 0.0;
        for (var i = 0; i < logits.Length; i++)
            total += Math.Exp((logits[i] - logits[max]) / temperature);
        var target = uniform * total;
        var cumulative = 0.0;
        for (var i = 0; i < logits.Length; i++)
        {
            cumulative += Math.Exp((logits[i] - logits[max]) / temperature);
            if (target < cumulative)
                return i;
        }
        return max;
    }

    /// <summary>
    /// Draws one tone, a uniform number per head in <paramref name="uniforms"/>, keeping the order of the training
    /// data's chords: simultaneous tones are encoded from the lowest up, so a tone that starts with the previous one
    /// (the time class <paramref name="zeroTime"/>) lies above <paramref name="previousPitch"/>. The model's heads are
    /// drawn apart and would otherwise repeat or undercut a chord's tones (15% of tones repeated one at 0.9).
    /// </summary>
    public static void DrawTone(
        ReadOnlySpan<float> pitch,
        ReadOnlySpan<float> time,
        ReadOnlySpan<float> length,
        ReadOnlySpan<float> velocity,
        float temperature,
        ReadOnlySpan<float> uniforms,
        int previousPitch,
        int zeroTime,
        Span<int> drawn
    )
    {
        var timeClass = Draw(time, temperature, uniforms[ToneVocabulary.TimeHead]);
        var lowest = timeClass == zeroTime && previousPitch >= 0 ? previousPitch + 1 : 0;
        if (lowest >= pitch.Length)
        {
            // Nothing lies above the previous tone: this one starts later, by the most likely other time.
            Span<float> others = stackalloc float[time.Length];
            time.CopyTo(others);
            others[zeroTime] = float.NegativeInfinity;
            (timeClass, lowest) = (Draw(others, temperature, uniforms[ToneVocabulary.TimeHead]), 0);
        }
        drawn[ToneVocabulary.PitchHead] = lowest + Draw(pitch[lowest..], temperature, uniforms[ToneVocabulary.PitchHead]);
        drawn[ToneVocabulary.TimeHead] = timeClass;
        drawn[ToneVocabulary.LengthHead] = Draw(length, temperature, uniforms[ToneVocabulary.LengthHead]);
        drawn[ToneVocabulary.VelocityHead] = Draw(velocity, temperature, uniforms[ToneVocabulary.VelocityHead]);
    }

    /// <summary>The probability of the classes before <paramref name="index"/>: where a uniform number starts drawing it.</summary>
    public static double Cumulative(ReadOnlySpan<float> logits, float temperature, int index)
    {
        var max = logits[0];
        foreach (var logit in logits)
            max = Math.Max(max, logit);
        double total = 0,
            before = 0;
        for (var i = 0; i < logits.Length; i++)
        {
            var weight = Math.Exp((logits[i] - max) / temperature);
            total += weight;
            before += i < index ? weight : 0;
        }
        return before / total;
    }
}
