using CrnnGan.Inference.Features;
using CrnnGan.Inference.Generation;
using CrnnGan.Inference.Music;
using CrnnGan.Inference.Randomness;
using CrnnGan.Training.Model;
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
            var (torchOutput, torchState) = generator.Step(tensor(noise[t], [batch, m.Noise]), tensor(onnxPrevious, [batch, m.Features]), Unstack(onnxHidden, onnxCell, m.Layers, batch, m.HiddenSize));
            var (output, hidden, cell) = OnnxStep(session, noise[t], onnxPrevious, onnxHidden, onnxCell, batch, m.Noise, m.Features, m.Layers, m.HiddenSize);
            maxDifference = Math.Max(maxDifference, MaxDifference(torchOutput, output));
            for (var layer = 0; layer < m.Layers; layer++)
            {
                maxDifference = Math.Max(maxDifference, MaxDifference(torchState[layer].H, hidden.AsSpan(layer * batch * m.HiddenSize, batch * m.HiddenSize)));
                maxDifference = Math.Max(maxDifference, MaxDifference(torchState[layer].C, cell.AsSpan(layer * batch * m.HiddenSize, batch * m.HiddenSize)));
            }
            torchOutputs.Add(torchOutput.data<float>().ToArray());
            onnxOutputs.Add(output);
            (onnxPrevious, onnxHidden, onnxCell) = (output, hidden, cell);
        }

        int compared = 0, agreeing = 0;
        string? firstDisagreement = null;
        for (var b = 0; b < batch; b++)
        {
            var torchTones = Decode(torchOutputs, b, m);
            var onnxTones = Decode(onnxOutputs, b, m);
            compared += Math.Max(torchTones.Count, onnxTones.Count);
            var pairs = torchTones.Zip(onnxTones).Select((p, i) => (p.First, p.Second, Index: i)).ToList();
            agreeing += pairs.Count(p => Agree(p.First, p.Second));
            firstDisagreement ??= pairs.Where(p => !Agree(p.First, p.Second)).Select(p => $"song {b}, note {p.Index}: TorchSharp {p.First}, ONNX {p.Second}").FirstOrDefault();
        }
        return new ParityReport(batch, steps, maxDifference, compared, agreeing, firstDisagreement);
    }

    private static (float[] Output, float[] Hidden, float[] Cell) OnnxStep(
        InferenceSession session, float[] noise, float[] previous, float[] hidden, float[] cell, int batch, int noiseSize, int features, int layers, int hiddenSize)
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
            [ModelContract.Output, ModelContract.HiddenOut, ModelContract.CellOut]);
        return (results[0].GetTensorDataAsSpan<float>().ToArray(), results[1].GetTensorDataAsSpan<float>().ToArray(), results[2].GetTensorDataAsSpan<float>().ToArray());
    }

    private static (Tensor H, Tensor C)[] Unstack(float[] hidden, float[] cell, int layers, int batch, int size) =>
        [.. Enumerable.Range(0, layers).Select(l => (
            tensor(hidden[(l * batch * size)..((l + 1) * batch * size)], [batch, size]),
            tensor(cell[(l * batch * size)..((l + 1) * batch * size)], [batch, size])))];

    /// <summary>
    /// The largest difference, relative to the value where it exceeds 1: float32 rounds in proportion to
    /// magnitude, and an LSTM's cell state grows well beyond 1 in a trained network.
    /// </summary>
    private static double MaxDifference(Tensor expected, ReadOnlySpan<float> actual)
    {
        var values = expected.data<float>().ToArray();
        var max = 0.0;
        for (var i = 0; i < values.Length; i++)
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
        a.Pitch == b.Pitch
        && Math.Abs(Ticks(a.Onset) - Ticks(b.Onset)) <= 1
        && Math.Abs(Ticks(a.Duration) - Ticks(b.Duration)) <= 1;

    /// <summary>Whole ticks, so that "within one tick" is not lost to floating-point error.</summary>
    private static long Ticks(double quarters) => (long)Math.Round(quarters * TicksPerQuarter, MidpointRounding.AwayFromZero);
}
