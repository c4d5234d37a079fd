using System.Diagnostics;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using static TorchSharp.torch;

namespace CrnnGan.Training.Benchmarks;

/// <summary>
/// The machine's single-precision matrix-multiply rate, the ceiling that training and generation rates are
/// compared with: n × n × n products (2n³ operations each), best of several timed runs, through LibTorch and
/// through ONNX Runtime's MatMul, whose kernels differ.
/// </summary>
public static class MatrixMultiplyRate
{
    public static double LibTorch(int n = 1024, int repetitions = 10)
    {
        using var scope = NewDisposeScope();
        var a = rand(n, n);
        var b = rand(n, n);
        return Best(n, repetitions, () => matmul(a, b).Dispose());
    }

    public static double OnnxRuntime(int n = 1024, int repetitions = 10, int threads = 0)
    {
        var graph = new GraphProto { Name = "matmul" };
        foreach (var name in new[] { "a", "b" })
            graph.Input.Add(Matrix(name, n));
        graph.Output.Add(Matrix("y", n));
        graph.Node.Add(
            new NodeProto
            {
                OpType = "MatMul",
                Input = { "a", "b" },
                Output = { "y" },
            }
        );
        var model = new ModelProto
        {
            IrVersion = 8,
            Graph = graph,
            OpsetImport = { new OperatorSetIdProto { Version = 17 } },
        };

        using var options = new SessionOptions { IntraOpNumThreads = threads };
        using var session = new InferenceSession(model.ToByteArray(), options);
        var random = new Random(0);
        var a = Enumerable.Range(0, n * n).Select(_ => (float)random.NextDouble()).ToArray();
        var b = (float[])a.Clone();
        var y = new float[n * n];
        using var aValue = OrtValue.CreateTensorValueFromMemory(a, [n, n]);
        using var bValue = OrtValue.CreateTensorValueFromMemory(b, [n, n]);
        using var yValue = OrtValue.CreateTensorValueFromMemory(y, [n, n]);
        using var runOptions = new RunOptions();
        return Best(n, repetitions, () => session.Run(runOptions, ["a", "b"], [aValue, bValue], ["y"], [yValue]));
    }

    private static double Best(int n, int repetitions, Action multiply)
    {
        for (var i = 0; i < 3; i++)
            multiply();
        var best = double.MaxValue;
        for (var i = 0; i < repetitions; i++)
        {
            var clock = Stopwatch.StartNew();
            multiply();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return 2.0 * n * n * n / best / 1e9;
    }

    private static ValueInfoProto Matrix(string name, int n) =>
        new()
        {
            Name = name,
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor
                {
                    ElemType = (int)TensorProto.Types.DataType.Float,
                    Shape = new TensorShapeProto
                    {
                        Dim =
                        {
                            new TensorShapeProto.Types.Dimension { DimValue = n },
                            new TensorShapeProto.Types.Dimension { DimValue = n },
                        },
                    },
                },
            },
        };
}
