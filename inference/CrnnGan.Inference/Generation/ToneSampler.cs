using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using CrnnGan.Inference.Randomness;

namespace CrnnGan.Inference.Generation;

/// <summary>
/// Draws a class from a head's logits: softmax(logits / temperature) by its cumulative distribution at a given
/// uniform number, so that the host and the export parity check, given the same uniforms and logits, draw the
/// same class. Temperature 0 takes the most likely class. A nucleus (top-p, Holtzman et al. 2020) below 1 draws only
/// from the likeliest classes whose probabilities add up to it: it cuts the unlikely tail and keeps the rare but
/// right classes that a lower temperature would flatten away. The draws are most of the host's work per step, so they
/// are compiled optimised from their first call rather than after .NET's tiers have watched them run.
/// </summary>
public static class ToneSampler
{
    /// <summary>
    /// The class drawn from <paramref name="logits"/> at <paramref name="temperature"/> (0: the likeliest) by inverse CDF at <paramref
    /// name="uniform"/> (in [0, 1)), within the nucleus <paramref name="topP"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Draw(ReadOnlySpan<float> logits, float temperature, float uniform, float topP = 1f)
    {
        var max = TensorPrimitives.IndexOfMax(logits);
        if (temperature <= 0)
            return max;
        Span<double> weights = stackalloc double[logits.Length];
        Weigh(logits, logits[max], temperature, weights);
        if (topP < 1)
            return DrawNucleus(weights, uniform, topP, max);
        var target = uniform * TensorPrimitives.Sum<double>(weights);
        var cumulative = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            cumulative += weights[i];
            if (target < cumulative)
                return i;
        }
        return max;
    }

    /// <summary>
    /// exp((logit − max) / temperature) for every class, the difference and quotient in single precision and the rest in
    /// double, vectorised: the exponentials are most of a draw's cost, and a step draws four heads for every song.
    /// </summary>
    private static void Weigh(ReadOnlySpan<float> logits, float max, float temperature, Span<double> weights)
    {
        Span<float> scaled = stackalloc float[logits.Length];
        TensorPrimitives.Subtract(logits, max, scaled);
        TensorPrimitives.Divide(scaled, temperature, scaled);
        TensorPrimitives.ConvertChecked<float, double>(scaled, weights);
        TensorPrimitives.Exp<double>(weights, weights);
    }

    /// <summary>
    /// Draws from the smallest set of likeliest classes whose weight reaches <paramref name="topP"/> of the whole (ties kept
    /// together).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int DrawNucleus(ReadOnlySpan<double> weights, float uniform, float topP, int max)
    {
        Span<double> sorted = stackalloc double[weights.Length];
        weights.CopyTo(sorted);
        sorted.Sort();
        var total = TensorPrimitives.Sum<double>(weights);
        var (kept, threshold) = (0.0, 0.0);
        for (var i = sorted.Length - 1; i >= 0 && kept < topP * total; i--)
            kept += threshold = sorted[i];
        var nucleus = 0.0;
        foreach (var weight in weights)
            nucleus += weight >= threshold ? weight : 0;
        var target = uniform * nucleus;
        var cumulative = 0.0;
        var last = max;
        for (var i = 0; i < weights.Length; i++)
        {
            if (weights[i] < threshold)
                continue;
            cumulative += weights[i];
            last = i;
            if (target < cumulative)
                return i;
        }
        return last;
    }

    /// <summary>The most keys one chord strikes: a pianist's ten fingers (97% of the corpus's windows stay within 8).</summary>
    public const int MaxChord = 10;

    /// <summary>
    /// Draws one tone, a uniform number per head in <paramref name="uniforms"/>. The temperature shapes pitch and
    /// time, the melody and the rhythm; lengths are drawn at the model's own <paramref name="lengthTemperature"/>
    /// (sharpening them only crowds the commonest length) and velocities as trained (temperature 1).
    /// <paramref name="closedTime"/> (the time class 0 once a chord holds <see cref="MaxChord"/> keys; −1: none) is not
    /// drawn: the model, which counts a chord's keys poorly, would otherwise pile up chords no player could play.
    /// <paramref name="length"/> is one row of logits or, <paramref name="lengthGivenTime"/> (contract version 3), one per
    /// time class, of which the time drawn chooses its row; a <paramref name="lengthBias"/> (one logit per length bin) is
    /// added to that row alone. <paramref name="topP"/>, the nucleus, cuts the tails of pitch and time, as the temperature
    /// shapes them. <paramref name="timeTemperature"/>, the model's own when it has one, draws the time in place of the temperature.
    /// With <paramref name="ascending"/> (a model's <see cref="Encodings.ToneEncoding.AscendingChords"/>: its zero time class,
    /// the pitch of the tone before and the song's stream of redraws) a tone drawn at the onset of the tone before, at or
    /// below its pitch, which the encoding never writes, is drawn again, pitch and time, with uniform numbers from the
    /// redraws, until it keeps the order: the draw is then exactly from the model's pitch and time cut to the tones the
    /// encoding can write. After <see cref="MaxRedraws"/> the zero time is closed; it is closed from the start when no
    /// pitch is above. A tone in order is drawn as without the rule. <paramref name="pitch"/> is one row of logits or, <paramref
    /// name="pitchGivenTime"/> (contract version 7), one per time class, as the length's are: the time is drawn first. A
    /// <paramref name="time"/> drawn already (contract version 8, whose step draws it) is taken as drawn, and the pitch and length
    /// rows are then those of that time.
    /// </summary>
    public static void DrawTone(
        ReadOnlySpan<float> pitch,
        ReadOnlySpan<float> timeLogits,
        ReadOnlySpan<float> length,
        bool lengthGivenTime,
        ReadOnlySpan<float> velocity,
        float temperature,
        float lengthTemperature,
        ReadOnlySpan<float> uniforms,
        int closedTime,
        Span<int> drawn,
        ReadOnlySpan<float> lengthBias = default,
        float topP = 1f,
        float? timeTemperature = null,
        (int ZeroTime, int Top, SeededRandom Redraws)? ascending = null,
        bool pitchGivenTime = false,
        int? time = null
    )
    {
        var pitches = pitchGivenTime ? pitch.Length / timeLogits.Length : pitch.Length;
        var timed = timeTemperature ?? temperature;
        var closed =
            closedTime >= 0 ? closedTime
            : ascending is { } rule && rule.Top >= pitches - 1 ? rule.ZeroTime
            : -1;
        var (timeUniform, pitchUniform) = (uniforms[ToneVocabulary.TimeHead], uniforms[ToneVocabulary.PitchHead]);
        for (var attempt = 0; ; attempt++)
        {
            drawn[ToneVocabulary.TimeHead] = time ?? DrawTime(timeLogits, closed, timed, timeUniform, topP);
            var pitchRow = pitch.Slice(pitchGivenTime ? drawn[ToneVocabulary.TimeHead] * pitches : 0, pitches);
            drawn[ToneVocabulary.PitchHead] = Draw(pitchRow, temperature, pitchUniform, topP);
            if (
                ascending is not { } chord
                || drawn[ToneVocabulary.TimeHead] != chord.ZeroTime
                || drawn[ToneVocabulary.PitchHead] > chord.Top
                || attempt > MaxRedraws
            )
                break;
            if (attempt == MaxRedraws)
                closed = chord.ZeroTime;
            (timeUniform, pitchUniform) = (chord.Redraws.NextSingle(), chord.Redraws.NextSingle());
        }
        var lengths = lengthGivenTime ? length.Length / timeLogits.Length : length.Length;
        var row = length.Slice(lengthGivenTime ? drawn[ToneVocabulary.TimeHead] * lengths : 0, lengths);
        if (!lengthBias.IsEmpty)
        {
            Span<float> biased = stackalloc float[lengths];
            TensorPrimitives.Add(row, lengthBias, biased);
            drawn[ToneVocabulary.LengthHead] = Draw(biased, lengthTemperature, uniforms[ToneVocabulary.LengthHead]);
        }
        else
            drawn[ToneVocabulary.LengthHead] = Draw(row, lengthTemperature, uniforms[ToneVocabulary.LengthHead]);
        drawn[ToneVocabulary.VelocityHead] = Draw(velocity, 1, uniforms[ToneVocabulary.VelocityHead]);
    }

    /// <summary>How many times a tone out of the chord's order is drawn again before the zero time is closed to it.</summary>
    public const int MaxRedraws = 64;

    /// <summary>The time class at <paramref name="uniform"/>, <paramref name="closed"/> (−1: none) never drawn while another is open.</summary>
    private static int DrawTime(ReadOnlySpan<float> time, int closed, float temperature, float uniform, float topP)
    {
        if (closed < 0 || time.Length <= 1)
            return Draw(time, temperature, uniform, topP);
        Span<float> open = stackalloc float[time.Length];
        time.CopyTo(open);
        open[closed] = float.NegativeInfinity;
        return Draw(open, temperature, uniform, topP);
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
