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
        double Seconds(int songs)
        {
            var clock = Stopwatch.StartNew();
            generator.Generate(
                new GenerationRequest
                {
                    Count = songs,
                    Steps = steps,
                    BatchSize = songs,
                }
            );
            return clock.Elapsed.TotalSeconds;
        }

        var (throughput, p50, p99) = GenerationBenchmark.Time(Seconds, batch, latencyRuns);
        return new ModelFigures(
            Path.GetFileName(path),
            $"contract {session.Metadata.ContractVersion}",
            GraphFlops.PerStep(File.ReadAllBytes(path)),
            throughput,
            p50,
            p99
        );
    }
}
