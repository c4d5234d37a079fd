using System.Diagnostics;
using static TorchSharp.torch;
using Generator = CrnnGan.Training.Model.Generator;

namespace CrnnGan.Training.Benchmarks;

/// <summary>Throughput and latency of one path of generation: songs per second at a batch size, and per-song latency at batch 1.</summary>
public sealed record GenerationFigures(
    string Path,
    double SongsPerSecond,
    double LatencyP50Milliseconds,
    double LatencyP99Milliseconds,
    double GigaflopsPerSecond
);

/// <summary>
/// The ONNX Runtime step loop against TorchSharp eager inference of the same generator, with the same
/// weights, in one run: batch throughput, single-song latency (p50, p99), and the FLOP rate against the
/// machine's matrix-multiply rate.
/// </summary>
public static class GenerationBenchmark
{
    public static IReadOnlyList<GenerationFigures> Run(Generator generator, int batch, int steps, int latencyRuns, int threads)
    {
        var m = generator.Settings;
        var metadata = new ModelMetadata(
            new ContinuousEncoding(m.Layout, m.FeatureScale),
            m.Noise,
            m.HiddenSize,
            m.Layers,
            "benchmark",
            0,
            0,
            "benchmark"
        );
        using var session = GeneratorSession.Load(
            OnnxExporter.Export(generator, metadata),
            new GeneratorSessionOptions(ExecutionProvider.Cpu, threads)
        );
        var flopsPerSong = TrainingFlops.GeneratorStep(m, 1) * steps;

        double OnnxSongs(int b)
        {
            var seeds = Enumerable.Range(0, b).Select(i => (ulong)i).ToArray();
            var clock = Stopwatch.StartNew();
            session.Run(b, steps, seeds, 1f, null);
            return clock.Elapsed.TotalSeconds;
        }

        double TorchSongs(int b)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var noise = rand(b, steps, m.Noise);
            var first = rand(b, m.Features);
            var clock = Stopwatch.StartNew();
            generator.call(noise, first).data<float>().ToArray();
            return clock.Elapsed.TotalSeconds;
        }

        generator.eval();
        return [Measure("ONNX Runtime", OnnxSongs), Measure("TorchSharp eager", TorchSongs)];

        GenerationFigures Measure(string path, Func<int, double> seconds)
        {
            var (throughput, p50, p99) = Time(seconds, batch, latencyRuns);
            return new GenerationFigures(path, throughput, p50, p99, throughput * flopsPerSong / 1e9);
        }
    }

    private const double WarmUpSeconds = 3;

    /// <summary>
    /// Songs per second at <paramref name="batch"/> (the best of 3) and the p50 and p99 latency in milliseconds of
    /// <paramref name="latencyRuns"/> single songs, given how long a batch of a size takes. Uncounted runs come first, for
    /// at least <see cref="WarmUpSeconds"/>: .NET compiles hot methods again, optimised, only after they have run a while, and
    /// without it the first model a process measures was measured slower than the same model measured later.
    /// </summary>
    public static (double SongsPerSecond, double P50, double P99) Time(Func<int, double> seconds, int batch, int latencyRuns)
    {
        for (var warm = 0.0; warm < WarmUpSeconds; )
            warm += seconds(batch) + seconds(1);
        var throughput = Enumerable.Range(0, 3).Select(_ => batch / seconds(batch)).Max();
        var latencies = Enumerable.Range(0, latencyRuns).Select(_ => seconds(1) * 1000).Order().ToList();
        return (throughput, latencies[(int)Math.Round(0.50 * (latencies.Count - 1))], latencies[(int)Math.Round(0.99 * (latencies.Count - 1))]);
    }
}
