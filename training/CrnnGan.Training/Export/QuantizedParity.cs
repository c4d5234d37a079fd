using CrnnGan.Inference.Randomness;
using Microsoft.ML.OnnxRuntime;
using ModelMetadata = CrnnGan.Inference.Generation.ModelMetadata;

namespace CrnnGan.Training.Export;

/// <summary>
/// How far an int8 tone model's distributions lie from its fp32 model's: both run in ONNX Runtime from the same noise,
/// fed the same tones (drawn from the fp32 model's heads at temperature 1), each with its own state; at every step, the
/// total variation between the two softmax distributions of each head, over the batch's songs. Where the step draws the time
/// (contract version 8), both draw it at the same uniform number, and the heads given the time are compared where both drew the
/// same time.
/// </summary>
public sealed record QuantizedParity(int Batch, int Steps, double MeanTotalVariation, double MaxTotalVariation)
{
    /// <summary>What a host samples from may move this far on average; the draws it makes then follow closely.</summary>
    public const double Tolerance = 0.02;

    public bool Passed => MeanTotalVariation <= Tolerance;

    public static QuantizedParity Run(byte[] fp32, byte[] quantizedModel, int batch, int steps, ulong seed)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var reference = new InferenceSession(fp32, options);
        using var quantized = new InferenceSession(quantizedModel, options);
        var metadata = ModelMetadata.Parse(reference.ModelMetadata.CustomMetadataMap);
        var encoding = metadata.EncodingAs<ToneEncoding>("int8 parity is measured for tone models (contract versions 2 to 9)");
        var other = ModelMetadata.Parse(quantized.ModelMetadata.CustomMetadataMap);
        if (
            other.ContractVersion != metadata.ContractVersion
            || other.Encoding is not ToneEncoding { } tones
            || tones.Vocabulary != encoding.Vocabulary
        )
            throw new InvalidDataException(
                $"The int8 model follows contract version {other.ContractVersion} and the fp32 model version {metadata.ContractVersion}, or their "
                    + "bins differ: int8 parity compares a model with its own weights in int8."
            );
        var sizes = encoding.Vocabulary.Sizes;
        var widths = sizes.Select((_, k) => encoding.LogitWidth(k)).ToArray();
        var m = (metadata.NoiseSize, metadata.Layers, metadata.HiddenSize);
        var random = new SeededRandom(seed);
        var columns = encoding.PreviousWidth;
        var feedback = new FeedbackBatch(encoding, batch, FeedbackBatch.Alternating(batch));
        var previous = feedback.Rows;
        var zeros = new float[metadata.Layers * batch * metadata.HiddenSize];
        var (referenceState, quantizedState) = ((zeros, zeros), (zeros, zeros));
        var uniforms = new float[batch * sizes.Count];
        var drawn = new int[sizes.Count];
        double sum = 0,
            max = 0;
        var count = 0;
        for (var t = 0; t < steps; t++)
        {
            var noise = new float[batch * metadata.NoiseSize];
            random.Fill(noise);
            random.Fill(uniforms);
            ParityCheck.TimeDraw? timeDraw = encoding.TimeInStep ? TimeDraw(uniforms, batch, sizes[ToneVocabulary.TimeHead]) : null;
            var (expected, timeDrawn, h, c) = ParityCheck.OnnxToneStep(
                reference,
                noise,
                previous,
                referenceState,
                batch,
                m,
                sizes,
                columns,
                timeDraw
            );
            var (actual, quantizedTime, qh, qc) = ParityCheck.OnnxToneStep(
                quantized,
                noise,
                previous,
                quantizedState,
                batch,
                m,
                sizes,
                columns,
                timeDraw
            );
            (referenceState, quantizedState) = ((h, c), (qh, qc));
            for (var b = 0; b < batch; b++)
            {
                ToneSampler.DrawTone(
                    Head(expected, ToneVocabulary.PitchHead),
                    Head(expected, ToneVocabulary.TimeHead),
                    Head(expected, ToneVocabulary.LengthHead),
                    encoding.RowPerTime(ToneVocabulary.LengthHead),
                    Head(expected, ToneVocabulary.VelocityHead),
                    1f,
                    1f,
                    uniforms.AsSpan(b * sizes.Count, sizes.Count),
                    -1,
                    drawn,
                    pitchGivenTime: encoding.RowPerTime(ToneVocabulary.PitchHead),
                    time: timeDrawn is null ? null : (int)timeDrawn[b]
                );
                // A head given the time is compared on the row that was drawn from.
                for (var k = 0; k < sizes.Count; k++)
                {
                    if (encoding.GivenTime(k) && timeDrawn is not null && timeDrawn[b] != quantizedTime![b])
                        continue;
                    var row = encoding.RowPerTime(k) ? drawn[ToneVocabulary.TimeHead] * sizes[k] : 0;
                    var distance = TotalVariation(Head(expected, k).Slice(row, sizes[k]), Head(actual, k).Slice(row, sizes[k]));
                    (sum, max, count) = (sum + distance, Math.Max(max, distance), count + 1);
                }
                feedback.Add(b, drawn);

                ReadOnlySpan<float> Head(float[][] logits, int k) => logits[k].AsSpan(b * widths[k], widths[k]);
            }
        }
        return new QuantizedParity(batch, steps, sum / count, max);
    }

    /// <summary>A version 8 step's time draw: each song's time uniform at temperature 1, the whole distribution, nothing closed, no bias.</summary>
    private static ParityCheck.TimeDraw TimeDraw(float[] uniforms, int batch, int times)
    {
        var heads = ToneVocabulary.Heads.Count;
        float[] draw = [.. Enumerable.Range(0, batch).SelectMany(b => new[] { uniforms[b * heads + ToneVocabulary.TimeHead], 1f, 1f })];
        return new(draw, [.. Enumerable.Repeat(-1L, batch)], new float[batch * times]);
    }

    private static double TotalVariation(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var (p, q) = (Softmax(a), Softmax(b));
        var distance = 0.0;
        for (var i = 0; i < p.Length; i++)
            distance += Math.Abs(p[i] - q[i]);
        return distance / 2;
    }

    private static double[] Softmax(ReadOnlySpan<float> logits)
    {
        var max = double.NegativeInfinity;
        foreach (var logit in logits)
            max = Math.Max(max, logit);
        var values = new double[logits.Length];
        for (var i = 0; i < logits.Length; i++)
            values[i] = Math.Exp(logits[i] - max);
        var total = values.Sum();
        return [.. values.Select(v => v / total)];
    }

    public override string ToString() =>
        $"batch {Batch}, {Steps} steps: the int8 model's head distributions lie {MeanTotalVariation:0.0000} from the fp32 model's on average "
        + $"(total variation; limit {Tolerance}), {MaxTotalVariation:0.000} at most";
}
