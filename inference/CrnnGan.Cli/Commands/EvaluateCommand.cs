using System.CommandLine;
using CrnnGan.Cli.Evaluation;
using CrnnGan.Inference.Data;
using CrnnGan.Inference.Generation;
using CrnnGan.Inference.Statistics;
using CrnnGan.Terminal;
using Spectre.Console;

namespace CrnnGan.Cli.Commands;

/// <summary>`crnngan evaluate`: the paper's statistics of a model's samples against a baseline's and real music's, as a report with pictures.</summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var model = new Option<FileInfo>("--model") { Description = "The GAN's exported generator. Default: the bundled model." };
        var baseline = new Option<FileInfo>("--baseline") { Description = "The maximum-likelihood baseline's exported generator." }.AcceptExistingOnly();
        var data = new Option<DirectoryInfo>("--data") { Description = "The corpus; its test split (the hold-out list beside it) is the real music.", Required = true }.AcceptExistingOnly();
        var split = new Option<string>("--split") { Description = "The hold-out songs to compare with: test (for the report) or validation (to choose a model or an epoch).", DefaultValueFactory = _ => "test" };
        split.AcceptOnlyFromAmong("test", "validation");
        var modelLog = new Option<FileInfo>("--model-log") { Description = "The GAN run's training-log.jsonl, for the statistics per epoch." }.AcceptExistingOnly();
        var baselineLog = new Option<FileInfo>("--baseline-log") { Description = "The baseline run's training-log.jsonl." }.AcceptExistingOnly();
        var samples = new Option<int>("--samples") { Description = "Songs sampled from each model.", DefaultValueFactory = _ => 200 };
        var steps = new Option<int>("--steps") { Description = "Steps per sample and per real window (the paper: 100).", DefaultValueFactory = _ => 100 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the samples and of the real windows.", DefaultValueFactory = _ => 0 };
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "Folder for report.md, evaluation.json and the pictures.", DefaultValueFactory = _ => new DirectoryInfo("evaluation") };

        var command = new Command("evaluate", "Compare a model's samples with a baseline's and with real music as the paper does: a table, findings and pictures.")
        {
            model, baseline, data, split, modelLog, baselineLog, samples, steps, seed, output,
        };
        command.SetAction(parse =>
        {
            var (count, length, seedValue) = (parse.GetValue(samples), parse.GetValue(steps), parse.GetValue(seed));
            if (count is < 1 or > 10_000 || length is < 2 or > 10_000)
                throw new ArgumentException($"--samples must be between 1 and 10000 and --steps between 2 and 10000, not {count} and {length}.");
            var modelPath = parse.GetValue(model)?.FullName ?? GenerateCommand.BundledModel;
            var folder = Directory.CreateDirectory(parse.GetValue(output)!.FullName).FullName;
            var dataFolder = parse.GetValue(data)!.FullName;

            var corpus = ProgressDisplay.Run("Reading MIDI", "files", task =>
                CorpusLoader.Load(dataFolder, CorpusSplit.Default(dataFolder, seedValue), progress: ProgressDisplay.Counts(task)));
            var splitName = parse.GetValue(split)!;
            var holdOut = splitName == "validation" ? corpus.Validation : corpus.Test;
            if (holdOut.Count == 0)
                throw new InvalidDataException($"The corpus {dataFolder} has no usable {splitName} songs to compare with.");

            var (gan, layout) = Sample("GAN", modelPath, count, length, seedValue);
            var sources = new List<MusicSource> { gan };
            var baselineSource = parse.GetValue(baseline) is { } b ? Sample("baseline", b.FullName, count, length, seedValue).Source : null;
            if (baselineSource is not null)
                sources.Add(baselineSource);
            var real = new MusicSource("real music", [.. holdOut.Select(song => WindowedStatistics.SeededWindowTones(song, layout, length, seedValue))]);
            sources.Add(real);

            var figures = new List<string>();
            var curves = new List<TrainingCurve>();
            if (parse.GetValue(modelLog) is { } ganLog)
                curves.Add(TrainingCurve.Read("GAN", ganLog.FullName));
            if (parse.GetValue(baselineLog) is { } mleLog)
                curves.Add(TrainingCurve.Read("baseline", mleLog.FullName));
            if (curves.Count > 0)
            {
                EvaluationPlots.StatisticsByEpoch(curves, real, Path.Combine(folder, "statistics-by-epoch.png"));
                figures.Add("statistics-by-epoch.png");
            }
            EvaluationPlots.PianoRolls(sources, 3, Path.Combine(folder, "piano-rolls.png"));
            EvaluationPlots.Histograms(sources, Path.Combine(folder, "histograms.png"));
            figures.AddRange(["piano-rolls.png", "histograms.png"]);

            var findings = EvaluationReport.Findings(gan, baselineSource, real);
            var description =
                $"Each model generated {count} songs of {length} steps from seeds {seedValue} to {seedValue + (ulong)count - 1} (noise as trained, decoded as the `generate` command does). " +
                $"Real music is one {length}-step window of each of the {holdOut.Count} usable {splitName} songs of `{Path.GetFileName(dataFolder)}` ({corpus.Split()}), each window's start drawn from seed {seedValue} and the song's path.";
            var registers = PitchRegister.Of(sources, real);
            EvaluationReport.Write(folder, CommandLineOf(parse), sources, findings, registers, description, figures);

            var table = new Table().Title("The paper's statistics (mean ± sd)").AddColumn("statistic");
            foreach (var source in sources)
                table.AddColumn(source.Name);
            foreach (var name in gan.Summary.Select(s => s.Name))
                table.AddRow([name, .. sources.Select(s => $"{s[name].Mean:0.###} ± {s[name].StandardDeviation:0.###}")]);
            AnsiConsole.Write(table);
            foreach (var register in registers)
                AnsiConsole.MarkupLineInterpolated($"{register.Source}: mean pitch {register.MeanPitch:0.#}, distance to real music's pitches {register.DistanceToReal:0.###}");
            foreach (var finding in findings)
                AnsiConsole.MarkupLine($"{(finding.Holds ? "[green]holds[/]" : "[red]does not hold[/]")}: {Markup.Escape($"{finding.Claim} {finding.Numbers}.")}");
            AnsiConsole.MarkupLineInterpolated($"Report: {Path.Combine(folder, "report.md")}");
            return 0;
        });
        return command;
    }

    /// <summary>A model's samples, and its step layout, by which real music is cut into windows of equal steps.</summary>
    private static (MusicSource Source, Inference.Features.StepLayout Layout) Sample(string name, string path, int count, int steps, ulong seed)
    {
        using var session = GeneratorSession.Open(path, new GeneratorSessionOptions(ExecutionProvider.Cpu));
        var songs = new SongGenerator(session).Generate(new GenerationRequest { Count = count, Steps = steps, Seed = seed, BatchSize = 50 });
        return (new MusicSource(name, [.. songs.Select(s => s.Song.Tones)]), session.Metadata.Layout);
    }

    private static string Split(this Corpus corpus) => $"{corpus.Training.Count} training, {corpus.Validation.Count} validation, {corpus.Test.Count} test songs";

    /// <summary>The command as typed, with paths as given, so that the report says how to make it again.</summary>
    private static string CommandLineOf(ParseResult parse) =>
        "dotnet run -c Release --project inference/CrnnGan.Cli -- " + string.Join(' ', parse.Tokens.Select(t => t.Value.Contains(' ', StringComparison.Ordinal) ? $"\"{t.Value}\"" : t.Value));
}
