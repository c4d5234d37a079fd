using System.Diagnostics;

namespace CrnnGan.Training.Benchmarks;

/// <summary>One exported model served by the library: what its step computes and how fast songs come.</summary>
public sealed record ModelFigures(
    string Model,
    string Contract,
    double FlopsPerStep,
    double SongsPerSecond,
    double LatencyP50Milliseconds,
    double LatencyP99Milliseconds
)
{
    public double GigaflopsPerSecond(int steps) => SongsPerSecond * steps * FlopsPerStep / 1e9;
}

/// <summary>
/// Any exported generator through the library as a user calls it (<see cref="SongGenerator"/>, decoding included): songs
/// per second at a batch, the latency of one song at batch 1, and the FLOPs per step its graph's products count.
/// </summary>
public static class ModelBenchmark
{
    public static ModelFigures Run(string path, int batch, int steps, int latencyRuns, int threads)
    {
        using var session = GeneratorSession.Open(path, new GeneratorSessionOptions(ExecutionProvider.Cpu, threads));
        var generator = new SongGenerator(session);
        double Seconds(int count, int batchSize)
        {
            var clock = Stopwatch.StartNew();
            generator.Generate(
                new GenerationRequest
                {
                    Count = count,
                    Steps = steps,
                    BatchSize = batchSize,
                }
            );
            return clock.Elapsed.TotalSeconds;
        }

        Seconds(batch, batch);
        Seconds(1, 1);
        var throughput = Enumerable.Range(0, 3).Select(_ => batch / Seconds(batch, batch)).Max();
        var latencies = Enumerable.Range(0, latencyRuns).Select(_ => Seconds(1, 1) * 1000).Order().ToList();
        return new ModelFigures(
            Path.GetFileName(path),
            $"contract {session.Metadata.ContractVersion}",
            GraphFlops.PerStep(File.ReadAllBytes(path)),
            throughput,
            latencies[(int)Math.Round(0.50 * (latencies.Count - 1))],
            latencies[(int)Math.Round(0.99 * (latencies.Count - 1))]
        );
    }
}
