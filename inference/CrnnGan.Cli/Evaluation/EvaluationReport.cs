using System.Globalization;
using System.Text;
using System.Text.Json;
using CrnnGan.Inference.Statistics;
using CrnnGan.Inference.Storage;

namespace CrnnGan.Cli.Evaluation;

/// <summary>The evaluation as Markdown (report.md) and as numbers (evaluation.json), beside its pictures.</summary>
public static class EvaluationReport
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>One of the paper's findings, checked: whether it holds here, and with which numbers.</summary>
    public sealed record Finding(string Claim, bool Holds, string Numbers);

    public static IReadOnlyList<Finding> Findings(MusicSource gan, MusicSource? baseline, MusicSource real)
    {
        var findings = new List<Finding>();
        if (baseline is not null)
        {
            foreach (var (name, words) in new[] { ("unique_tones", "more unique tones"), ("tone_span", "a wider tone span") })
            {
                double g = gan[name].Mean, b = baseline[name].Mean;
                findings.Add(new Finding($"The GAN has {words} than the maximum-likelihood baseline (the paper's finding).", g > b, $"GAN {g:0.##}, baseline {b:0.##}"));
            }
        }
        double gs = gan["scale_consistency"].Mean, rs = real["scale_consistency"].Mean;
        findings.Add(new Finding("The GAN's scale consistency is within 10% of real music's.", Math.Abs(gs - rs) <= 0.1 * rs, $"GAN {gs:0.###}, real music {rs:0.###} ({(gs - rs) / rs:+0.0%;-0.0%})"));
        return findings;
    }

    public static void Write(
        string folder, string command, IReadOnlyList<MusicSource> sources, IReadOnlyList<Finding> findings, IReadOnlyList<PitchRegister> registers, string description, IReadOnlyList<string> figures)
    {
        var markdown = new StringBuilder();
        markdown.AppendLine("# Evaluation: C-RNN-GAN against its maximum-likelihood baseline and real music").AppendLine();
        markdown.AppendLine(description).AppendLine();
        markdown.AppendLine("Regenerate this report (numbers and pictures) with:").AppendLine();
        markdown.AppendLine("```bash").AppendLine(command).AppendLine("```").AppendLine();
        markdown.AppendLine("## The paper's statistics (mean ± standard deviation)").AppendLine();
        markdown.AppendLine($"| statistic | {string.Join(" | ", sources.Select(s => $"{s.Name} ({s.Pieces.Count})"))} |");
        markdown.AppendLine($"| --- |{string.Concat(sources.Select(_ => " --- |"))}");
        foreach (var name in sources[0].Summary.Select(s => s.Name))
            markdown.AppendLine($"| {name} | {string.Join(" | ", sources.Select(s => Format(s[name])))} |");
        markdown.AppendLine().AppendLine("## Findings").AppendLine();
        foreach (var finding in findings)
            markdown.AppendLine($"- **{(finding.Holds ? "Holds" : "Does not hold")}**: {finding.Claim} {finding.Numbers}.");
        markdown.AppendLine().AppendLine("## Register (beyond the paper)").AppendLine();
        markdown.AppendLine("Where the tones lie on the keyboard, which the paper's statistics do not measure. Distance: total variation between the pitch distributions, 0 the same, 1 no pitch shared.").AppendLine();
        markdown.AppendLine("| source | mean pitch (MIDI) | distance to real music's pitches |").AppendLine("| --- | --- | --- |");
        foreach (var register in registers)
            markdown.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {register.Source} | {register.MeanPitch:0.#} | {register.DistanceToReal:0.###} |"));
        markdown.AppendLine().AppendLine("## Pictures").AppendLine();
        foreach (var figure in figures)
            markdown.AppendLine($"![{Path.GetFileNameWithoutExtension(figure)}]({figure})").AppendLine();
        AtomicFile.WriteAllText(Path.Combine(folder, "report.md"), markdown.ToString());

        var numbers = new
        {
            command,
            sources = sources.ToDictionary(s => s.Name, s => new { pieces = s.Pieces.Count, statistics = s.Summary.ToDictionary(x => x.Name, x => new { mean = x.Mean, standard_deviation = x.StandardDeviation }) }),
            findings = findings.Select(f => new { claim = f.Claim, holds = f.Holds, numbers = f.Numbers }),
            register = registers.ToDictionary(r => r.Source, r => new { mean_pitch = r.MeanPitch, distance_to_real = r.DistanceToReal }),
        };
        AtomicFile.WriteAllText(Path.Combine(folder, "evaluation.json"), JsonSerializer.Serialize(numbers, Indented));
    }

    private static string Format(StatisticSummary s) =>
        string.Create(CultureInfo.InvariantCulture, $"{s.Mean:0.###} ± {s.StandardDeviation:0.###}");
}
