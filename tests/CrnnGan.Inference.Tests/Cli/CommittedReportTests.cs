using System.Text.Json;
using CrnnGan.TestSupport;

namespace CrnnGan.Inference.Tests.Cli;

/// <summary>docs/evaluation holds the bundled model's report; its numbers must come again from the committed models.</summary>
public sealed class CommittedReportTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    [Fact]
    public void The_committed_report_regenerates_from_the_committed_models_and_the_corpus()
    {
        Assert.SkipWhen(SharedCorpus.Folder is null, SharedCorpus.SkipReason);
        var committed = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "docs", "evaluation", "evaluation.json"))).RootElement;
        string[] arguments =
        [
            "evaluate",
            "--model",
            $"tone GAN={Model("crnngan.onnx")}",
            "--model",
            $"tone GAN int8={Model("crnngan-int8.onnx")}",
            "--model",
            $"tone baseline={Model("crnngan-baseline.onnx")}",
            "--model",
            $"paper GAN={Model("paper-crnngan.onnx")}",
            "--model",
            $"paper baseline={Model("paper-baseline.onnx")}",
            "--data",
            Path.Combine(SharedCorpus.Folder!, "classical"),
            "--samples",
            "200",
            "--steps",
            "100",
            "--seed",
            "0",
            "--out",
            _folder.Path,
        ];
        Assert.Contains("--samples 200 --steps 100 --seed 0", committed.GetProperty("command").GetString(), StringComparison.Ordinal);

        var result = CommandLine.Run("crnngan", arguments);

        Assert.True(result.ExitCode == 0, result.Error);
        var regenerated = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder.Path, "evaluation.json"))).RootElement;
        foreach (var source in committed.GetProperty("sources").EnumerateObject())
        {
            foreach (var statistic in source.Value.GetProperty("statistics").EnumerateObject())
            {
                var expected = statistic.Value.GetProperty("mean").GetDouble();
                var actual = regenerated
                    .GetProperty("sources")
                    .GetProperty(source.Name)
                    .GetProperty("statistics")
                    .GetProperty(statistic.Name)
                    .GetProperty("mean")
                    .GetDouble();
                Assert.True(
                    Math.Abs(actual - expected) <= 0.01 * Math.Max(Math.Abs(expected), 1e-9) + 1e-9,
                    $"{source.Name} {statistic.Name}: committed {expected}, regenerated {actual}"
                );
            }
        }
    }

    private static string Model(string file) => Repository.Model(file);

    public void Dispose() => _folder.Dispose();
}
