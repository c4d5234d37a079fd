using System.Diagnostics;
using static TorchSharp.torch;

namespace CrnnGan.Training.Benchmarks;

/// <summary>The machine's single-precision matrix-multiply rate through LibTorch: the ceiling a training rate is compared with.</summary>
public static class MatrixMultiplyRate
{
    /// <summary>GFLOP/s of n × n × n matrix products (2n³ operations each), best of several timed runs.</summary>
    public static double Measure(int n = 1024, int repetitions = 10)
    {
        using var scope = NewDisposeScope();
        var a = rand(n, n);
        var b = rand(n, n);
        for (var i = 0; i < 3; i++)
            matmul(a, b).Dispose();
        var best = double.MaxValue;
        for (var i = 0; i < repetitions; i++)
        {
            var clock = Stopwatch.StartNew();
            matmul(a, b).Dispose();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return 2.0 * n * n * n / best / 1e9;
    }
}
