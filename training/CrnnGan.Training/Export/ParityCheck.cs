using CrnnGan.Inference.Randomness;
using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;
using Generator = CrnnGan.Training.Model.Generator;

namespace CrnnGan.Training.Export;

/// <summary>
/// Runs an exported generator in ONNX Runtime (CPU) beside the TorchSharp generator it came from, on the
/// same weights, noise and state.
/// </summary>
public static class ParityCheck
{
    /// <summary>Ticks per quarter note at which decoded note timing is compared ("within one tick").</summary>
    public const int TicksPerQuarter = 480;

    public static ParityReport Run(Generator generator, byte[] onnx, int batch, int steps, ulong seed)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var session = new InferenceSession(onnx, options);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        generator.eval();

        var m = generator.Settings;
        var random = new SeededRandom(seed);
        float[] Uniform(int count)
        {
            var values = new float[count];
            random.Fill(values);
            return values;
        }

        var noise = Enumerable.Range(0, steps).Select(_ => Uniform(batch * m.Noise)).ToList();
        var first = Uniform(batch * m.Features);

        // ONNX runs free, feeding back its own output and state. At every step TorchSharp computes the same step
        // from the same inputs: comparing two free runs would compare rounding noise, which a trained
        // generator's feedback loop can grow into different songs without either side being wrong.
        var torchOutputs = new List<float[]>();
        var onnxOutputs = new List<float[]>();
        var maxDifference = 0.0;
        var onnxPrevious = first;
        var onnxHidden = new float[m.Layers * batch * m.HiddenSize];
        var onnxCell = new float[m.Layers * batch * m.HiddenSize];
        for (var t = 0; t < steps; t++)
        {
            var (torchOutput, torchState) = generator.Step(
                tensor(noise[t], [batch, m.Noise]),
                tensor(onnxPrevious, [batch, m.Features]),
                Unstack(onnxHidden, onnxCell, m.Layers, batch, m.HiddenSize)
            );
            var (output, hidden, cell) = OnnxStep(
                session,
                noise[t],
                onnxPrevious,
                onnxHidden,
                onnxCell,
                batch,
                m.Noise,
                m.Features,
                m.Layers,
                m.HiddenSize
            );
            maxDifference = Math.Max(maxDifference, MaxDifference(torchOutput, output));
            for (var layer = 0; layer < m.Layers; layer++)
            {
                maxDifference = Math.Max(
                    maxDifference,
                    MaxDifference(torchState[layer].H, hidden.AsSpan(layer * batch * m.HiddenSize, batch * m.HiddenSize))
                );
                maxDifference = Math.Max(
                    maxDifference,
                    MaxDifference(torchState[layer].C, cell.AsSpan(layer * batch * m.HiddenSize, batch * m.HiddenSize))
                );
            }
            torchOutputs.Add(torchOutput.data<float>().ToArray());
            onnxOutputs.Add(output);
            (onnxPrevious, onnxHidden, onnxCell) = (output, hidden, cell);
        }

        int compared = 0,
            agreeing = 0;
        string? firstDisagreement = null;
        for (var b = 0; b < batch; b++)
        {
            var torchTones = Decode(torchOutputs, b, m);
            var onnxTones = Decode(onnxOutputs, b, m);
            compared += Math.Max(torchTones.Count, onnxTones.Count);
            var pairs = torchTones.Zip(onnxTones).Select((p, i) => (p.First, p.Second, Index: i)).ToList();
            agreeing += pairs.Count(p => Agree(p.First, p.Second));
            firstDisagreement ??= pairs
                .Where(p => !Agree(p.First, p.Second))
                .Select(p => $"song {b}, note {p.Index}: TorchSharp {p.First}, ONNX {p.Second}")
                .FirstOrDefault();
        }
        return new ParityReport(batch, steps, maxDifference, compared, agreeing, firstDisagreement);
    }

    /// <summary>
    /// The tone family: ONNX Runtime runs free for <paramref name="steps"/> tones from the start tone, feeding back
    /// its own draws and state; at every step TorchSharp computes the same step from the same inputs (as for the
    /// paper's model: two free runs would compare their rounding), and each side draws with <see cref="ToneSampler"/>
    /// from its own logits at the same uniform per head. A step that draws the time (contract version 8) draws it in the graph,
    /// at each song's own temperature and nucleus (<see cref="TimeDraws"/>), against TorchSharp's logits drawn by the host; the
    /// heads given the time are then compared for the time the graph drew. Reports the largest logit and state difference and how
    /// many sampled tones are identical.
    /// </summary>
    public static ParityReport Run(ToneGenerator generator, byte[] onnx, int batch, int steps, ulong seed)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var session = new InferenceSession(onnx, options);
        using var noGrad = no_grad();
        generator.eval();

        var m = generator.Settings;
        var sizes = generator.HeadSizes;
        var heads = sizes.Count;
        var encoding = Inference.Generation.ModelMetadata.Parse(session.ModelMetadata.CustomMetadataMap).EncodingAs<ToneEncoding>("Tone parity");
        var columns = encoding.PreviousWidth;
        var random = new SeededRandom(seed);
        var stateSize = m.Layers * batch * m.HiddenSize;
        var onnxState = (Hidden: new float[stateSize], Cell: new float[stateSize]);
        var feedback = new FeedbackBatch(encoding, batch, FeedbackBatch.Alternating(batch));
        var onnxPrevious = feedback.Rows;
        var onnxDraws = new int[batch * heads];
        var torchDraws = new long[batch * heads];
        var maxDifference = 0.0;
        int compared = 0,
            agreeing = 0,
            ties = 0;
        string? firstDisagreement = null;
        for (var t = 0; t < steps; t++)
        {
            using var scope = NewDisposeScope();
            var noise = new float[batch * m.Noise];
            random.Fill(noise);
            var uniforms = new float[batch * heads];
            random.Fill(uniforms);
            TimeDraw? timeDraw = encoding.TimeInStep
                ? TimeDraws(uniforms, batch, t, encoding.Vocabulary.ZeroTime, sizes[ToneVocabulary.TimeHead])
                : null;

            var previous = tensor(onnxPrevious, [batch, columns]);
            var (output, state) = generator.Step(
                tensor(noise, [batch, m.Noise]),
                previous,
                (tensor(onnxState.Hidden, [m.Layers, batch, m.HiddenSize]), tensor(onnxState.Cell, [m.Layers, batch, m.HiddenSize]))
            );
            var (onnxLogits, timeDrawn, hidden, cell) = OnnxToneStep(
                session,
                noise,
                onnxPrevious,
                onnxState,
                batch,
                (m.Noise, m.Layers, m.HiddenSize),
                sizes,
                columns,
                timeDraw
            );
            onnxState = (hidden, cell);
            var torchLogits = Enumerable
                .Range(0, heads)
                .Select(k => AllLogits(generator, output, k, previous, timeDrawn).data<float>().ToArray())
                .ToArray();

            for (var k = 0; k < heads; k++)
                maxDifference = Math.Max(maxDifference, MaxDifference(torchLogits[k], onnxLogits[k]));
            maxDifference = Math.Max(maxDifference, Math.Max(MaxDifference(state.H, hidden), MaxDifference(state.C, cell)));
            for (var b = 0; b < batch; b++)
            {
                var (same, tie) = (true, false);
                foreach (var k in generator.DrawOrder)
                {
                    var u = uniforms[b * heads + k];
                    var width = torchLogits[k].Length / batch;
                    // A head given the time: each side draws from the row of the time it drew, drawn before it.
                    var (torchRow, onnxRow) =
                        width == sizes[k]
                            ? (0, 0)
                            : (torchDraws[b * heads + ToneVocabulary.TimeHead], onnxDraws[b * heads + ToneVocabulary.TimeHead]);
                    var torchLogitsOfSong = torchLogits[k].AsSpan(b * width + (int)torchRow * sizes[k], sizes[k]).ToArray();
                    var (temperature, topP) = (1f, 1f);
                    int onnxDraw;
                    if (k == ToneVocabulary.TimeHead && timeDraw is { } draw)
                    {
                        (temperature, topP) = (draw.Draw[b * 3 + 1], draw.Draw[b * 3 + 2]);
                        for (var c = 0; c < torchLogitsOfSong.Length; c++)
                            torchLogitsOfSong[c] += draw.Bias[b * torchLogitsOfSong.Length + c];
                        if (draw.Closed[b] >= 0)
                            torchLogitsOfSong[draw.Closed[b]] = float.NegativeInfinity;
                        onnxDraw = (int)timeDrawn![b];
                    }
                    else
                        onnxDraw = ToneSampler.Draw(onnxLogits[k].AsSpan(b * width + (int)onnxRow * sizes[k], sizes[k]), 1f, u);
                    var torchDraw = ToneSampler.Draw(torchLogitsOfSong, temperature, u, topP);
                    (torchDraws[b * heads + k], onnxDraws[b * heads + k]) = (torchDraw, onnxDraw);
                    if (torchDraw == onnxDraw)
                        continue;
                    // A tie: the classes are neighbours in probability and u lies on the boundary between them.
                    var scale = Math.Max(temperature, 1e-3f);
                    var boundary = ToneSampler.Cumulative(torchLogitsOfSong, scale, Math.Max(torchDraw, onnxDraw));
                    var between = boundary - ToneSampler.Cumulative(torchLogitsOfSong, scale, Math.Min(torchDraw, onnxDraw) + 1);
                    if (topP == 1 && Math.Abs(u - boundary) <= ParityReport.TieTolerance && between <= ParityReport.TieTolerance)
                        tie = true;
                    else
                        same = false;
                }
                feedback.Add(b, onnxDraws.AsSpan(b * heads, heads));
                compared++;
                agreeing += same && !tie ? 1 : 0;
                ties += same && tie ? 1 : 0;
                firstDisagreement ??= same
                    ? null
                    : $"song {b}, tone {t}: TorchSharp [{string.Join(", ", torchDraws.AsSpan(b * heads, heads).ToArray())}], "
                        + $"ONNX [{string.Join(", ", onnxDraws.AsSpan(b * heads, heads).ToArray())}]";
            }
        }
        return new ParityReport(batch, steps, maxDifference, compared, agreeing, firstDisagreement, RequiredNoteAgreement: 1, BoundaryTies: ties);
    }

    /// <summary>What a version 8 step is fed to draw the time: [batch, 3], [batch, 1] and [batch, time classes].</summary>
    internal sealed record TimeDraw(float[] Draw, long[] Closed, float[] Bias);

    /// <summary>
    /// What a version 8 step is fed to draw the time at step <paramref name="t"/>: each song's time uniform from <paramref
    /// name="uniforms"/>, a temperature and nucleus of its own (the likeliest class, a cut tail, sharper and flatter than trained:
    /// every path of the graph's draw), the time 0 closed at every fourth step, and a bias of its own (odd songs none).
    /// </summary>
    private static TimeDraw TimeDraws(float[] uniforms, int batch, int t, int zeroTime, int times)
    {
        float[] temperatures = [0.9f, 1f, 0f, 1.25f];
        float[] nuclei = [0.9f, 1f, 0.75f];
        var (draw, closed) = (new float[batch * 3], new long[batch]);
        for (var b = 0; b < batch; b++)
        {
            (draw[b * 3], draw[b * 3 + 1], draw[b * 3 + 2]) = (
                uniforms[b * ToneVocabulary.Heads.Count + ToneVocabulary.TimeHead],
                temperatures[b % temperatures.Length],
                nuclei[b % nuclei.Length]
            );
            closed[b] = (t + b) % 4 == 0 ? zeroTime : -1;
        }
        float[] bias = [.. Enumerable.Range(0, batch * times).Select(i => i / times % 2 == 0 ? (i % times % 5 - 2) * 0.25f : 0f)];
        return new TimeDraw(draw, closed, bias);
    }

    /// <summary>
    /// Head <paramref name="head"/>'s logits from h_t as the exported step gives them: a head given the time, for every
    /// time class, or, where the step drew the time (<paramref name="timeDrawn"/>), for the time it drew.
    /// </summary>
    private static Tensor AllLogits(ToneGenerator generator, Tensor output, int head, Tensor previous, long[]? timeDrawn)
    {
        if (!generator.GivenTime(head))
            return generator.Logits(output, head, null, previous);
        if (timeDrawn is not null)
            return generator.Logits(output, head, tensor(timeDrawn), previous);
        var (batch, times) = (output.shape[0], generator.HeadSizes[ToneVocabulary.TimeHead]);
        var everyTime = arange(times, dtype: ScalarType.Int64).unsqueeze(0).expand(batch, -1);
        return generator.Logits(output.unsqueeze(1).expand(-1, times, -1), head, everyTime, previous.unsqueeze(1).expand(-1, times, -1));
    }

    /// <summary>
    /// One step of an exported tone model in ONNX Runtime: each head's logits, the time drawn where the step draws it (fed
    /// <paramref name="timeDraw"/>, version 8) and the new state.
    /// </summary>
    internal static (float[][] Logits, long[]? TimeDrawn, float[] Hidden, float[] Cell) OnnxToneStep(
        InferenceSession session,
        float[] noise,
        long[] previous,
        (float[] Hidden, float[] Cell) state,
        int batch,
        (int Noise, int Layers, int HiddenSize) m,
        IReadOnlyList<int> sizes,
        int columns,
        TimeDraw? timeDraw = null
    )
    {
        using var noiseValue = OrtValue.CreateTensorValueFromMemory(noise, [batch, m.Noise]);
        using var previousValue = OrtValue.CreateTensorValueFromMemory(previous, [batch, columns]);
        using var hiddenValue = OrtValue.CreateTensorValueFromMemory(state.Hidden, [m.Layers, batch, m.HiddenSize]);
        using var cellValue = OrtValue.CreateTensorValueFromMemory(state.Cell, [m.Layers, batch, m.HiddenSize]);
        using var drawValue = timeDraw is { } d ? OrtValue.CreateTensorValueFromMemory(d.Draw, [batch, 3]) : null;
        using var closedValue = timeDraw is { } c ? OrtValue.CreateTensorValueFromMemory(c.Closed, [batch, 1]) : null;
        using var biasValue = timeDraw is { } e ? OrtValue.CreateTensorValueFromMemory(e.Bias, [batch, e.Bias.Length / batch]) : null;
        using var runOptions = new RunOptions();
        string[] inputs = [ModelContract.Noise, ModelContract.PreviousTone, ModelContract.Hidden, ModelContract.Cell];
        OrtValue[] values = [noiseValue, previousValue, hiddenValue, cellValue];
        string[] outputs = [.. ToneVocabulary.Heads.Select(ModelContract.Logits), ModelContract.HiddenOut, ModelContract.CellOut];
        using var results = session.Run(
            runOptions,
            drawValue is null ? inputs : [.. inputs, ModelContract.TimeDraw, ModelContract.ClosedTime, ModelContract.TimeBias],
            drawValue is null ? values : [.. values, drawValue, closedValue!, biasValue!],
            drawValue is null ? outputs : [.. outputs, ModelContract.TimeDrawn]
        );
        var logits = Enumerable.Range(0, sizes.Count).Select(k => results[k].GetTensorDataAsSpan<float>().ToArray()).ToArray();
        return (
            logits,
            drawValue is null ? null : results[sizes.Count + 2].GetTensorDataAsSpan<long>().ToArray(),
            results[sizes.Count].GetTensorDataAsSpan<float>().ToArray(),
            results[sizes.Count + 1].GetTensorDataAsSpan<float>().ToArray()
        );
    }

    private static (float[] Output, float[] Hidden, float[] Cell) OnnxStep(
        InferenceSession session,
        float[] noise,
        float[] previous,
        float[] hidden,
        float[] cell,
        int batch,
        int noiseSize,
        int features,
        int layers,
        int hiddenSize
    )
    {
        using var noiseValue = OrtValue.CreateTensorValueFromMemory(noise, [batch, noiseSize]);
        using var previousValue = OrtValue.CreateTensorValueFromMemory(previous, [batch, features]);
        using var hiddenValue = OrtValue.CreateTensorValueFromMemory(hidden, [layers, batch, hiddenSize]);
        using var cellValue = OrtValue.CreateTensorValueFromMemory(cell, [layers, batch, hiddenSize]);
        using var runOptions = new RunOptions();
        using var results = session.Run(
            runOptions,
            [ModelContract.Noise, ModelContract.Previous, ModelContract.Hidden, ModelContract.Cell],
            [noiseValue, previousValue, hiddenValue, cellValue],
            [ModelContract.Output, ModelContract.HiddenOut, ModelContract.CellOut]
        );
        return (
            results[0].GetTensorDataAsSpan<float>().ToArray(),
            results[1].GetTensorDataAsSpan<float>().ToArray(),
            results[2].GetTensorDataAsSpan<float>().ToArray()
        );
    }

    private static (Tensor H, Tensor C)[] Unstack(float[] hidden, float[] cell, int layers, int batch, int size) =>
        [
            .. Enumerable
                .Range(0, layers)
                .Select(l =>
                    (
                        tensor(hidden[(l * batch * size)..((l + 1) * batch * size)], [batch, size]),
                        tensor(cell[(l * batch * size)..((l + 1) * batch * size)], [batch, size])
                    )
                ),
        ];

    /// <summary>
    /// The largest difference, relative to the value where it exceeds 1: float32 rounds in proportion to
    /// magnitude, and an LSTM's cell state grows well beyond 1 in a trained network. A logit masked on both sides (−∞) agrees.
    /// </summary>
    private static double MaxDifference(Tensor expected, ReadOnlySpan<float> actual) => MaxDifference(expected.data<float>().ToArray(), actual);

    private static double MaxDifference(float[] values, ReadOnlySpan<float> actual)
    {
        var max = 0.0;
        for (var i = 0; i < values.Length; i++)
            if (values[i] != actual[i])
                max = Math.Max(max, Math.Abs(values[i] - actual[i]) / Math.Max(1.0, Math.Abs(values[i])));
        return max;
    }

    private static IReadOnlyList<Tone> Decode(List<float[]> outputs, int sample, ModelSettings model)
    {
        var layout = model.Layout;
        var width = layout.FeaturesPerStep;
        var steps = outputs.SelectMany(o => o.AsSpan(sample * width, width).ToArray()).ToArray();
        return StepEncoder.DecodeModelSteps(steps, 1, layout, model.FeatureScale)[0];
    }

    private static bool Agree(Tone a, Tone b) =>
        a.Pitch == b.Pitch && Math.Abs(Ticks(a.Onset) - Ticks(b.Onset)) <= 1 && Math.Abs(Ticks(a.Duration) - Ticks(b.Duration)) <= 1;

    /// <summary>Whole ticks, so that "within one tick" is not lost to floating-point error.</summary>
    private static long Ticks(double quarters) => (long)Math.Round(quarters * TicksPerQuarter, MidpointRounding.AwayFromZero);
}
