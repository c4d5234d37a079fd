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

    /// <summary>
    /// A model named "… GAN" and one named the same with "baseline" in its place are a GAN and its maximum-likelihood
    /// baseline: the paper's findings are checked for each such pair.
    /// </summary>
    public static IEnumerable<(MusicSource Gan, MusicSource Baseline)> Pairs(IReadOnlyList<MusicSource> models) =>
        from gan in models
        where gan.Name.EndsWith("GAN", StringComparison.Ordinal)
        let baseline = models.FirstOrDefault(m => m.Name == gan.Name[..^3] + "baseline")
        where baseline is not null
        select (gan, baseline);

    public static IReadOnlyList<Finding> Findings(IReadOnlyList<MusicSource> models, MusicSource real)
    {
        var findings = new List<Finding>();
        foreach (var (gan, baseline) in Pairs(models))
        {
            foreach (var (name, words) in new[] { ("unique_tones", "more unique tones"), ("tone_span", "a wider tone span") })
            {
                double g = gan[name].Mean,
                    b = baseline[name].Mean;
                findings.Add(new Finding($"{gan.Name} has {words} than {baseline.Name} (the paper's finding).", g > b, $"{g:0.##} against {b:0.##}"));
            }
            var measures = MusicTargets.DistancesToReal(gan, real).Zip(MusicTargets.DistancesToReal(baseline, real)).ToList();
            var nearer = measures.Where(m => m.First.Distance < m.Second.Distance).Select(m => m.First.Measure).ToList();
            findings.Add(
                new Finding(
                    $"Adversarial training brings {gan.Name} nearer real music than {baseline.Name} on most measures (beyond the paper).",
                    2 * nearer.Count > measures.Count,
                    $"nearer on {nearer.Count} of {measures.Count}: {(nearer.Count == 0 ? "none" : string.Join(", ", nearer))}"
                )
            );
        }
        foreach (var gan in models.Where(m => m.Name.EndsWith("GAN", StringComparison.Ordinal)))
        {
            double gs = gan["scale_consistency"].Mean,
                rs = real["scale_consistency"].Mean;
            findings.Add(
                new Finding(
                    $"{gan.Name}'s scale consistency is within 10% of real music's.",
                    Math.Abs(gs - rs) <= 0.1 * rs,
                    $"{gs:0.###} against real music's {rs:0.###} ({(gs - rs) / rs:+0.0%;-0.0%})"
                )
            );
        }
        return findings;
    }

    public static void Write(
        string folder,
        string command,
        IReadOnlyList<MusicSource> sources,
        IReadOnlyList<Finding> findings,
        IReadOnlyList<PitchRegister> registers,
        string description,
        IReadOnlyList<string> figures,
        Judged judged
    )
    {
        var real = sources[^1];
        var models = sources.Take(sources.Count - 1).ToList();
        // The distance tables' rows: the models, the floor's real music (the other hold-out split) and the real music judged.
        var rows = models.Append(judged.OtherReal).Append(real).ToList();
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
        markdown.AppendLine().AppendLine("## Whole pieces: can a classifier tell them from real music? (beyond the paper)").AppendLine();
        markdown
            .AppendLine(
                "A two-sample test: each piece is described by one vector (the paper's statistics, mean pitch and its spread, the share of "
                    + "tones outside the key, and the piece's own distributions of key-relative pitch class, time between onsets, tone "
                    + "length, onset position in the quarter note and in the bar, and melodic interval: 68 numbers); a logistic regression "
                    + "learns to tell a model's pieces from real ones (equal numbers of each, 10-fold cross-validated). 0.5: it cannot. The "
                    + "Fréchet distance compares the two sets' means and covariances of the same vectors (standardised by real music's). The "
                    + "last row is real music against real music of the other hold-out split: the floor."
            )
            .AppendLine();
        markdown.AppendLine("| source | classifier accuracy | Fréchet distance |").AppendLine("| --- | --- | --- |");
        foreach (var r in judged.Realism)
            markdown.AppendLine(
                string.Create(CultureInfo.InvariantCulture, $"| {r.Source} | {Text(r.Accuracy, "0.###")} | {Text(r.Frechet, "0.#")} |")
            );
        markdown
            .AppendLine()
            .AppendLine("What gives a model away: the same test on each part of the description alone (0.5: that part cannot tell them apart).");
        markdown.AppendLine().AppendLine($"| source | {string.Join(" | ", WindowDescriptor.Parts.Select(p => p.Part))} |");
        markdown.AppendLine($"| --- |{string.Concat(WindowDescriptor.Parts.Select(_ => " --- |"))}");
        foreach (var r in judged.Realism.Where(r => r.PartAccuracy.Count > 0))
            markdown.AppendLine($"| {r.Source} | {string.Join(" | ", r.PartAccuracy.Select(a => Text(a, "0.###")))} |");
        markdown
            .AppendLine()
            .AppendLine(
                $"The {Realism.FurthestNamed} numbers of the description whose mean lies furthest from real music's, in real music's "
                    + "standard deviations (the Fréchet distance's mean term, number by number; `pitch_class_k` is k semitones above C "
                    + "once the piece is moved to C major or A minor, `interval_class_k` runs from the widest fall to the widest rise, 5 "
                    + "unison):"
            )
            .AppendLine();
        markdown.AppendLine("| source | furthest numbers |").AppendLine("| --- | --- |");
        foreach (var r in judged.Realism.Where(r => r.Furthest.Count > 0))
        {
            var furthest = r.Furthest.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Name} {f.Shift:+0.00;-0.00}"));
            markdown.AppendLine($"| {r.Source} | {string.Join(", ", furthest)} |");
        }
        markdown.AppendLine().AppendLine("## Meter and melody (beyond the paper)").AppendLine();
        markdown
            .AppendLine(
                "Where onsets fall (counted from the song's start; real windows keep their place in the song's 4-quarter bars) and how the "
                    + "melody moves (consecutive tones, a chord's by pitch), as total variation distances to real music's distributions, "
                    + "with the share of onsets off the sixteenth grid, the share of those that the next onset brings back onto it "
                    + "(a song that has lost the beat stays off it), and the share of tones outside the key (the best-fitting major or minor scale); "
                    + "real music of the other hold-out split beside it."
            )
            .AppendLine();
        markdown
            .AppendLine(
                "| source | onsets off the sixteenth grid | back on it next | onset in the quarter | onset in the bar | melodic interval | "
                    + "tones outside the key |"
            )
            .AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
        foreach (var source in rows)
        {
            var d = source.Histograms.Distances(real.Histograms);
            markdown.AppendLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {source.Name} | {source.OffGrid:P1} | {source.BackOnGrid:P1} | {d["onset_in_quarter"]:0.###} | {d["onset_in_bar"]:0.###} | "
                        + $"{d["melodic_interval"]:0.###} | {source.OutsideKey:P1} |"
                )
            );
        }
        if (judged.Late.Count > 0)
        {
            markdown.AppendLine().AppendLine("## Late in long songs (beyond the paper)").AppendLine();
            markdown
                .AppendLine(
                    "Whether a song narrows, loops or loses the beat as it grows: the same measures on its late tones, means over the "
                        + "songs, with the 90th percentile of 3-tone repetitions beside their mean (a tenth of the songs repeat more: "
                        + "where a model's lies far above real music's, some of its songs loop)."
                )
                .AppendLine();
            markdown
                .AppendLine(
                    "| source | unique tones | tone span | 3-tone repetitions | their 90th percentile | onset in the quarter | classifier accuracy |"
                )
                .AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
            foreach (var (source, r) in judged.Late.Append((real, judged.Floor)))
                markdown.AppendLine(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"| {source.Name} | {source["unique_tones"].Mean:0.#} | {source["tone_span"].Mean:0.#} | "
                            + $"{source["repetitions_3"].Mean:0.#} | {source["repetitions_3"].Percentile90:0.#} | "
                            + $"{source.Histograms.Distances(real.Histograms)["onset_in_quarter"]:0.###} | {Text(r.Accuracy, "0.###")} |"
                    )
                );
        }
        markdown.AppendLine().AppendLine("## Distributions (beyond the paper)").AppendLine();
        markdown
            .AppendLine(
                "Total variation distance to real music's distribution (0 the same, 1 disjoint) of pitch class relative to each piece's "
                    + "best-fitting scale, time between onsets and tone length, both on a 1/16-quarter grid (4 quarters and longer in one bin), "
                    + "onset position in the quarter note and in the bar, and melodic interval (±24 semitones). Real music of the other "
                    + "hold-out split gives each distance's floor: how far two sets of real songs lie apart."
            )
            .AppendLine();
        markdown
            .AppendLine($"| source | {string.Join(" | ", ToneHistograms.Names)} |")
            .AppendLine($"| --- |{string.Concat(ToneHistograms.Names.Select(_ => " --- |"))}");
        foreach (var source in rows)
        {
            var distances = source.Histograms.Distances(real.Histograms);
            markdown.AppendLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {source.Name} | {string.Join(" | ", distances.Values.Select(d => d.ToString("0.###", CultureInfo.InvariantCulture)))} |"
                )
            );
        }
        markdown.AppendLine().AppendLine("## Targets: does it sound like music? (beyond the paper)").AppendLine();
        markdown
            .AppendLine(
                "Each against real music and two-sided (near real music, not \"at least\"); a target met only by looping or by crowding one "
                    + "register does not count, hence the repetition and register rows."
            )
            .AppendLine();
        var targets = models.Select(m => judged.Targets(m, real)).ToList();
        markdown
            .AppendLine($"| target | {string.Join(" | ", models.Select(m => m.Name))} |")
            .AppendLine($"| --- |{string.Concat(models.Select(_ => " --- |"))}");
        for (var t = 0; targets.Count > 0 && t < targets[0].Count; t++)
            markdown.AppendLine(
                $"| {targets[0][t].Target} | {string.Join(" | ", targets.Select(c => $"{c[t].Value} {(c[t].Holds ? "✓" : "✗")}"))} |"
            );
        markdown.AppendLine();
        foreach (var (model, checks) in models.Zip(targets))
        {
            var missed = checks.Where(c => !c.Holds).Select(c => c.Target).ToList();
            markdown.AppendLine(
                $"- **{model.Name}**: "
                    + $"{(missed.Count == 0 ? "meets every target" : $"misses {missed.Count} of {checks.Count}: {string.Join("; ", missed)}")}."
            );
        }
        markdown.AppendLine().AppendLine("## Register (beyond the paper)").AppendLine();
        markdown
            .AppendLine(
                "Where the tones lie on the keyboard, which the paper's statistics do not measure. Distance: total variation between the pitch "
                    + "distributions, 0 the same, 1 no pitch shared."
            )
            .AppendLine();
        markdown.AppendLine("| source | mean pitch (MIDI) | distance to real music's pitches |").AppendLine("| --- | --- | --- |");
        foreach (var register in registers)
            markdown.AppendLine(
                string.Create(CultureInfo.InvariantCulture, $"| {register.Source} | {register.MeanPitch:0.#} | {register.DistanceToReal:0.###} |")
            );
        markdown.AppendLine().AppendLine("## Pictures").AppendLine();
        foreach (var figure in figures)
            markdown.AppendLine($"![{Path.GetFileNameWithoutExtension(figure)}]({figure})").AppendLine();
        AtomicFile.WriteAllText(Path.Combine(folder, "report.md"), markdown.ToString());

        var numbers = new
        {
            command,
            sources = sources.ToDictionary(
                s => s.Name,
                s => new
                {
                    pieces = s.Pieces.Count,
                    statistics = s.Summary.ToDictionary(x => x.Name, x => new { mean = x.Mean, standard_deviation = x.StandardDeviation }),
                }
            ),
            findings = findings.Select(f => new
            {
                claim = f.Claim,
                holds = f.Holds,
                numbers = f.Numbers,
            }),
            register = registers.ToDictionary(r => r.Source, r => new { mean_pitch = r.MeanPitch, distance_to_real = r.DistanceToReal }),
            distributions = rows.ToDictionary(s => s.Name, s => s.Histograms.Distances(real.Histograms)),
            realism = judged.Realism.ToDictionary(
                r => r.Source,
                r => new
                {
                    classifier_accuracy = Finite(r.Accuracy),
                    frechet = Finite(r.Frechet),
                    classifier_accuracy_by_part = r.PartAccuracy.Zip(WindowDescriptor.Parts).ToDictionary(p => p.Second.Part, p => Finite(p.First)),
                    furthest_numbers = r.Furthest.ToDictionary(f => f.Name, f => f.Shift),
                }
            ),
            late = judged.Late.ToDictionary(
                l => l.Source.Name,
                l => new
                {
                    unique_tones = l.Source["unique_tones"].Mean,
                    tone_span = l.Source["tone_span"].Mean,
                    repetitions_3 = l.Source["repetitions_3"].Mean,
                    repetitions_3_percentile_90 = l.Source["repetitions_3"].Percentile90,
                    onset_in_quarter = l.Source.Histograms.Distances(real.Histograms)["onset_in_quarter"],
                    classifier_accuracy = Finite(l.Realism.Accuracy),
                }
            ),
            meter = rows.ToDictionary(
                s => s.Name,
                s => new
                {
                    off_grid = s.OffGrid,
                    back_on_grid = s.BackOnGrid,
                    outside_key = s.OutsideKey,
                }
            ),
            targets = models.ToDictionary(
                m => m.Name,
                m =>
                    judged
                        .Targets(m, real)
                        .Select(c => new
                        {
                            target = c.Target,
                            value = c.Value,
                            holds = c.Holds,
                        })
            ),
        };
        AtomicFile.WriteAllText(Path.Combine(folder, "evaluation.json"), JsonSerializer.Serialize(numbers, Indented));
    }

    /// <summary>A measure that could not be taken (too few pieces for the two-sample test) is null in the JSON, "n/a" in the table.</summary>
    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    private static string Text(double value, string format) =>
        double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "n/a (too few pieces)";

    private static string Format(StatisticSummary s) => string.Create(CultureInfo.InvariantCulture, $"{s.Mean:0.###} ± {s.StandardDeviation:0.###}");
}
