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
}
