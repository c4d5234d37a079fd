using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace CrnnGan.Training.Export;

/// <summary>
/// An exported generator with int8 weights: every Gemm against a weight matrix (the input layer, each LSTM layer's
/// stacked [W_ih | W_hh], the output or the heads' stacked weights) becomes ONNX Runtime's DynamicQuantizeMatMul, which quantizes its
/// activations per call and multiplies in integers. Weights are quantized per output channel, symmetrically, to 7
/// bits (−63..63): x86's fast u8×s8 kernels add pairs of products in 16 bits, which 8-bit weights could overflow.
/// </summary>
public static class Int8Quantizer
{
    public const string Weights = "int8 (per output channel, 7 bits, symmetric; activations quantized per call)";

    private const int Levels = 63;

    /// <summary>Quantizes, then measures <see cref="QuantizedParity"/> at batch 8 over 256 steps and refuses a model outside it.</summary>
    /// <exception cref="InvalidDataException">Not a tone model this exporter wrote, or its int8 version strays too far.</exception>
    public static (byte[] Model, QuantizedParity Parity) QuantizeChecked(byte[] fp32, ulong seed)
    {
        var quantized = Quantize(fp32);
        var parity = QuantizedParity.Run(fp32, quantized, batch: 8, steps: 256, seed);
        return parity.Passed ? (quantized, parity) : throw new InvalidDataException($"The int8 model strays too far from the fp32 model: {parity}.");
    }

    /// <exception cref="InvalidDataException">Not a generator this exporter wrote, or one already quantized.</exception>
    public static byte[] Quantize(byte[] onnx)
    {
        var model = ModelProto.Parser.ParseFrom(onnx);
        var graph = model.Graph;
        var weights = graph.Initializer.ToDictionary(t => t.Name);
        var properties = model.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        var metadata = ModelMetadata.Parse(properties);
        metadata.EncodingAs<ToneEncoding>("int8 weights are for the tone family (the paper's model stays as the paper describes it, in fp32)");
        if (metadata.Weights != ModelMetadata.Fp32)
            throw new InvalidDataException($"The model's weights are already {metadata.Weights}.");

        var producers = graph.Node.SelectMany(node => node.Output.Select(output => (output, node))).ToDictionary(p => p.output, p => p.node);
        var quantized = 0;
        foreach (var node in graph.Node.ToList())
        {
            if (node.OpType != "Gemm" || !weights.TryGetValue(node.Input[1], out var weight) || weight.Dims.Count != 2)
                continue;
            if (node.Attribute.Any(a => a.Name is "alpha" or "beta" or "transA" || a.Name == "transB" && a.I != 1))
                throw new InvalidDataException($"{node.Name} is not the exporter's Gemm (A · Bᵀ + C).");
            var (rows, columns) = ((int)weight.Dims[0], (int)weight.Dims[1]);
            var w = MemoryMarshal.Cast<byte, float>(weight.RawData.Span).ToArray();
            graph.Initializer.Remove(weight);
            var at = graph.Node.IndexOf(node);
            graph.Node.RemoveAt(at);

            // An LSTM layer's [x, h] · [W_ih | W_hh]ᵀ is two products, so that h (within ±1) is quantized on its own
            // scale rather than on that of x, whose range may be far wider.
            if (
                producers.TryGetValue(node.Input[0], out var concat)
                && concat.OpType == "Concat"
                && concat.Input.Count == 2
                && weight.Name.StartsWith("lstm.", StringComparison.Ordinal)
            )
            {
                var split = columns - metadata.HiddenSize;
                var (fromX, fromH) = ($"{node.Output[0]}_x", $"{node.Output[0]}_h");
                graph.Node.Insert(
                    at,
                    Product(graph, $"{weight.Name}.x", Columns(w, rows, columns, 0, split), rows, split, concat.Input[0], null, fromX)
                );
                graph.Node.Insert(
                    at + 1,
                    Product(
                        graph,
                        $"{weight.Name}.h",
                        Columns(w, rows, columns, split, columns),
                        rows,
                        columns - split,
                        concat.Input[1],
                        node.Input[2],
                        fromH
                    )
                );
                var add = new NodeProto { OpType = "Add", Name = $"{node.Name}_sum" };
                add.Input.AddRange([fromX, fromH]);
                add.Output.Add(node.Output[0]);
                graph.Node.Insert(at + 2, add);
                // The concatenation fed only this product: left in, it would still run at every step.
                if (!graph.Node.Any(n => n.Input.Contains(concat.Output[0])))
                    graph.Node.Remove(concat);
            }
            else
                graph.Node.Insert(at, Product(graph, weight.Name, w, rows, columns, node.Input[0], node.Input[2], node.Output[0]));
            quantized++;
        }
        if (quantized == 0)
            throw new InvalidDataException("The model has no weight matrix to quantize: it was not exported by crnngan-train export.");

        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "com.microsoft", Version = 1 });
        model.MetadataProps.Clear();
        foreach (var (key, value) in (metadata with { Weights = Weights }).ToProperties())
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model.ToByteArray();
    }

    /// <summary>A · Wᵀ + bias as DynamicQuantizeMatMul, W [rows × columns] quantized into new initializers.</summary>
    private static NodeProto Product(GraphProto graph, string name, float[] w, int rows, int columns, string a, string? bias, string output)
    {
        var (values, scales) = QuantizeRows(w, rows, columns);
        graph.Initializer.Add(
            OnnxExporter.Raw($"{name}.int8", TensorProto.Types.DataType.Int8, MemoryMarshal.AsBytes(values.AsSpan()), [columns, rows])
        );
        graph.Initializer.Add(OnnxExporter.Raw($"{name}.scale", TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes(scales.AsSpan()), [rows]));
        graph.Initializer.Add(OnnxExporter.Raw($"{name}.zero", TensorProto.Types.DataType.Int8, new byte[rows], [rows]));
        var node = new NodeProto
        {
            OpType = "DynamicQuantizeMatMul",
            Domain = "com.microsoft",
            Name = $"{name}_int8",
        };
        node.Input.AddRange([a, $"{name}.int8", $"{name}.scale", $"{name}.zero"]);
        if (bias is not null)
            node.Input.Add(bias);
        node.Output.Add(output);
        return node;
    }

    /// <summary>Columns [from, to) of W [rows × columns].</summary>
    private static float[] Columns(float[] w, int rows, int columns, int from, int to)
    {
        var part = new float[rows * (to - from)];
        for (var r = 0; r < rows; r++)
            w.AsSpan(r * columns + from, to - from).CopyTo(part.AsSpan(r * (to - from)));
        return part;
    }

    /// <summary>W [rows × columns] → Wᵀ [columns × rows] in −63..63, and each row's scale (its largest |w| ÷ 63).</summary>
    private static (sbyte[] Values, float[] Scales) QuantizeRows(ReadOnlySpan<float> weight, int rows, int columns)
    {
        var values = new sbyte[rows * columns];
        var scales = new float[rows];
        for (var r = 0; r < rows; r++)
        {
            var row = weight.Slice(r * columns, columns);
            var largest = 0f;
            foreach (var w in row)
                largest = Math.Max(largest, Math.Abs(w));
            scales[r] = largest > 0 ? largest / Levels : 1f;
            for (var c = 0; c < columns; c++)
                values[c * rows + r] = (sbyte)Math.Clamp(MathF.Round(row[c] / scales[r]), -Levels, Levels);
        }
        return (values, scales);
    }
}
