using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;

namespace CrnnGan.Training.Benchmarks;

/// <summary>
/// The operations of one step of any exported generator, counted from its graph's products: every Gemm, MatMul and
/// int8 DynamicQuantizeMatMul does K multiply-adds (2K operations) per output element. The shapes come from running one
/// step at batch 1 with every product's input and output exposed, so that a product over a dimension the weights do not
/// show (such as the length head over all 48 time classes) counts what it computes. A product of constants alone (a table
/// the graph computes from its weights, which ONNX Runtime folds when it loads the model) is not a step's work.
/// </summary>
public static class GraphFlops
{
    public static double PerStep(byte[] model)
    {
        var proto = ModelProto.Parser.ParseFrom(model);
        var graph = proto.Graph;
        var initializers = graph.Initializer.ToDictionary(t => t.Name, t => t.Dims.ToArray());
        var constants = new HashSet<string>(initializers.Keys);
        foreach (var node in graph.Node.Where(n => n.Input.All(constants.Contains)))
            constants.UnionWith(node.Output);
        var products = graph.Node.Where(n => n.OpType is "Gemm" or "MatMul" or "DynamicQuantizeMatMul" && !n.Input.All(constants.Contains)).ToList();
        var inputs = graph.Input.Select(i => i.Name).ToHashSet();
        var exposed = products
            .SelectMany(n => new[] { n.Input[0], n.Output[0] })
            .Where(name => !initializers.ContainsKey(name) && !inputs.Contains(name) && graph.Output.All(o => o.Name != name))
            .Distinct()
            .ToList();
        foreach (var name in exposed)
            graph.Output.Add(
                new ValueInfoProto
                {
                    Name = name,
                    Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
                }
            );

        using var session = new InferenceSession(proto.ToByteArray());
        var zeros = session.InputMetadata.Select(i => Zeros(i.Key, i.Value)).ToList();
        using var results = session.Run(zeros);
        // The time a version 8 step draws is its one int64 output, and no product's.
        var shapes = results
            .Where(r => r.ElementType == TensorElementType.Float)
            .ToDictionary(r => r.Name, r => r.AsTensor<float>().Dimensions.ToArray());
        foreach (var input in session.InputMetadata)
            shapes[input.Key] = [.. input.Value.Dimensions.Select(d => d < 0 ? 1 : d)];

        long[] Shape(string name) =>
            shapes.TryGetValue(name, out var dims) ? [.. dims.Select(d => (long)d)]
            : initializers.TryGetValue(name, out var weights) ? weights
            : throw new InvalidOperationException($"no shape for {name}");

        return products.Sum(node =>
        {
            var a = Shape(node.Input[0]);
            var transposed = node.Attribute.Any(x => x.Name == "transA" && x.I == 1);
            var depth = transposed ? a[^2] : a[^1];
            return 2.0 * depth * Shape(node.Output[0]).Aggregate(1L, (p, d) => p * d);
        });
    }

    /// <summary>A zero input of the model's type, its symbolic batch as 1: class index 0 and zero states are valid inputs.</summary>
    private static NamedOnnxValue Zeros(string name, NodeMetadata input)
    {
        var dims = input.Dimensions.Select(d => d < 0 ? 1 : d).ToArray();
        var size = dims.Aggregate(1, (p, d) => p * d);
        return input.ElementType == typeof(long)
            ? NamedOnnxValue.CreateFromTensor(name, new DenseTensor<long>(new long[size], dims))
            : NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(new float[size], dims));
    }
}
