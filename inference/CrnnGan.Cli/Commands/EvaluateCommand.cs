using System.CommandLine;
using CrnnGan.Cli.Evaluation;
using CrnnGan.Inference.Data;
using CrnnGan.Inference.Features;
using CrnnGan.Inference.Generation;
using CrnnGan.Inference.Music;
using CrnnGan.Inference.Statistics;
using CrnnGan.Terminal;
using Spectre.Console;

namespace CrnnGan.Cli.Commands;

/// <summary>
/// `crnngan evaluate`: the paper's statistics of a model's samples against a baseline's and real music's, as a report with pictures.
/// </summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var models = new Option<string[]>("--model")
        {
            Description =
                "A model to compare, as name=path (repeat for each; default: the bundled model). A model named \"X GAN\" and one named "
                + "\"X baseline\" are a GAN and its maximum-likelihood baseline, whose findings the report checks.",
            AllowMultipleArgumentsPerToken = false,
        };
        var data = new Option<DirectoryInfo>("--data")
        {
            Description = "The corpus; its test split (the hold-out list beside it) is the real music.",
            Required = true,
        }.AcceptExistingOnly();
        var split = new Option<string>("--split")
        {
            Description = "The hold-out songs to compare with: test (for the report) or validation (to choose a model or an epoch).",
            DefaultValueFactory = _ => "test",
        };
        split.AcceptOnlyFromAmong("test", "validation");
        var logs = new Option<string[]>("--log")
        {
            Description = "A run's training-log.jsonl, as name=path (repeatable), for the statistics per epoch.",
        };
        var temperature = new Option<float?>("--temperature") { Description = "Tone models: sampling temperature (default: each model's own)." };
        var topP = new Option<float?>("--top-p") { Description = "Tone models: the nucleus of pitch and time (default: each model's own)." };
        var samples = new Option<int>("--samples") { Description = "Songs sampled from each model.", DefaultValueFactory = _ => 200 };
        var steps = new Option<int>("--steps")
        {
            Description = "Steps per sample and per real window (the paper: 100).",
            DefaultValueFactory = _ => 100,
        };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the samples and of the real windows.", DefaultValueFactory = _ => 0 };
        var longSongs = new Option<bool>("--long-songs")
        {
            Description = $"Also measure tones {LateStart}–{LateStart + 100} of {LongSongTones}-tone songs, where a model narrows and loops.",
            DefaultValueFactory = _ => true,
        };
        var output = new Option<DirectoryInfo>("--out", "-o")
        {
            Description = "Folder for report.md, evaluation.json and the pictures.",
            DefaultValueFactory = _ => new DirectoryInfo("evaluation"),
        };

        var command = new Command(
            "evaluate",
            "Compare a model's samples with a baseline's and with real music as the paper does: a table, findings and pictures."
        )
        {
            models,
            data,
            split,
            logs,
            temperature,
            topP,
            samples,
            steps,
            seed,
            longSongs,
            output,
        };
        command.SetAction(parse =>
        {
            var (count, length, seedValue) = (parse.GetValue(samples), parse.GetValue(steps), parse.GetValue(seed));
            if (count is < 1 or > 10_000 || length is < 2 or > 10_000)
                throw new ArgumentException($"--samples must be between 1 and 10000 and --steps between 2 and 10000, not {count} and {length}.");
            var named = parse.GetValue(models) is { Length: > 0 } given
                ? [.. given.Select(NamedPath.Parse)]
                : new[] { new NamedPath("GAN", BundledModel.Path) };
            if (named.Select(m => m.Name).Distinct().Count() != named.Length)
                throw new ArgumentException("Each --model needs a name of its own (name=path).");
            var folder = Directory.CreateDirectory(parse.GetValue(output)!.FullName).FullName;
            var dataFolder = parse.GetValue(data)!.FullName;

            var corpus = ProgressDisplay.Run(
                "Reading MIDI",
                "files",
                task => CorpusLoader.Load(dataFolder, CorpusSplit.Default(dataFolder, seedValue), progress: ProgressDisplay.Counts(task))
            );
            var splitName = parse.GetValue(split)!;
            var (holdOut, others) = splitName == "validation" ? (corpus.Validation, corpus.Test) : (corpus.Test, corpus.Validation);
            if (holdOut.Count == 0 || others.Count == 0)
                throw new InvalidDataException(
                    $"The corpus {dataFolder} needs usable validation and test songs: real music against real music is the floor."
                );

            var sampling = new GenerationRequest { Temperature = parse.GetValue(temperature), TopP = parse.GetValue(topP) };
            var sources = new List<MusicSource>();
            foreach (var m in named)
                sources.Add(ProgressDisplay.Run($"Sampling {m.Name}", "songs", _ => Sample(m, count, length, seedValue, sampling)));
            var real = new MusicSource("real music", RealWindows(holdOut, length, seedValue));
            var otherReal = new MusicSource(
                $"real music ({(splitName == "validation" ? "test" : "validation")})",
                RealWindows(others, length, seedValue)
            );
            var modelSources = sources.ToList();
            sources.Add(real);
            var floor = Realism.Of(otherReal, real, seedValue, parts: true);
            var realism = ProgressDisplay.Run(
                "Two-sample tests",
                "models",
                _ => modelSources.Select(m => Realism.Of(m, real, seedValue, parts: true)).Append(floor).ToList()
            );
            var late = parse.GetValue(longSongs)
                ? named
                    .Select(m => ProgressDisplay.Run($"Long songs of {m.Name}", "songs", _ => Late(m, count, length, seedValue, sampling)))
                    .Select(l => (Source: l, Realism: Realism.Of(l, real, seedValue)))
                    .ToList()
                : [];

            var figures = new List<string>();
            var curves = (parse.GetValue(logs) ?? []).Select(NamedPath.Parse).Select(l => TrainingCurve.Read(l.Name, l.Path)).ToList();
            if (curves.Count > 0)
            {
                EvaluationPlots.StatisticsByEpoch(curves, real, Path.Combine(folder, "statistics-by-epoch.png"));
                figures.Add("statistics-by-epoch.png");
            }
            EvaluationPlots.PianoRolls(sources, 3, Path.Combine(folder, "piano-rolls.png"));
            EvaluationPlots.Histograms(sources, Path.Combine(folder, "histograms.png"));
            EvaluationPlots.Meter(sources, Path.Combine(folder, "meter-and-melody.png"));
            EvaluationPlots.Realism(realism, late.Select(l => l.Realism).ToList(), Path.Combine(folder, "two-sample-test.png"));
            figures.AddRange(["piano-rolls.png", "histograms.png", "meter-and-melody.png", "two-sample-test.png"]);

            var findings = EvaluationReport.Findings(modelSources, real);
            var description =
                $"Each model generated {count} songs of {length} steps (tones, for one tone per step) from seeds {seedValue} to "
                + $"{seedValue + (ulong)count - 1} "
                + $"(noise as trained; tone models at {(sampling.Temperature is { } t ? $"temperature {t}" : "their default temperature")}"
                + $"{(sampling.TopP is { } p ? $" and top-p {p}" : "")} "
                + "in the key each song's seed draws; decoded as the `generate` command does). "
                + $"Real music is one {length}-step window of each of the {holdOut.Count} usable {splitName} songs of "
                + $"`{Path.GetFileName(dataFolder)}` ({corpus.Split()}), each window's start drawn from seed {seedValue} and the song's path.";
            var registers = PitchRegister.Of(sources, real);
            var judged = new Judged(realism, floor, late, otherReal);
            EvaluationReport.Write(folder, CommandLineOf(parse), sources, findings, registers, description, figures, judged);

            var table = new Table().Title("The paper's statistics (mean ± sd)").AddColumn("statistic");
            foreach (var source in sources)
                table.AddColumn(source.Name);
            foreach (var name in real.Summary.Select(s => s.Name))
                table.AddRow([name, .. sources.Select(s => $"{s[name].Mean:0.###} ± {s[name].StandardDeviation:0.###}")]);
            AnsiConsole.Write(table);
            foreach (var register in registers)
                AnsiConsole.MarkupLineInterpolated(
                    $"{register.Source}: mean pitch {register.MeanPitch:0.#}, distance to real music's pitches {register.DistanceToReal:0.###}"
                );
            foreach (var source in modelSources)
            {
                var checks = judged.Targets(source, real);
                var missed = string.Join(", ", checks.Where(c => !c.Holds).Select(c => c.Target + " " + c.Value));
                AnsiConsole.MarkupLineInterpolated($"{source.Name}: {checks.Count(c => c.Holds)} of {checks.Count} targets ({missed})");
            }
            foreach (var finding in findings)
                AnsiConsole.MarkupLine(
                    $"{(finding.Holds ? "[green]holds[/]" : "[red]does not hold[/]")}: {Markup.Escape($"{finding.Claim} {finding.Numbers}.")}"
                );
            AnsiConsole.MarkupLineInterpolated($"Report: {Path.Combine(folder, "report.md")}");
            return 0;
        });
        return command;
    }

    /// <summary>
    /// A model's samples. The paper's model has steps of one or three tones: its songs are cut to <paramref name="tones"/>
    /// tones, as real music's windows are, so that every source is measured on pieces of the same number of tones.
    /// </summary>
    private static MusicSource Sample(NamedPath model, int count, int tones, ulong seed, GenerationRequest sampling)
    {
        using var session = GeneratorSession.Open(model.Path, new GeneratorSessionOptions(ExecutionProvider.Cpu));
        var request = (sampling with { Count = count, Steps = tones, Seed = seed, BatchSize = 50 }).ApplicableTo(session.Metadata);
        var songs = new SongGenerator(session).Generate(request);
        return new MusicSource(model.Name, [.. songs.Select(s => (IReadOnlyList<Tone>)[.. s.Song.Tones.Take(tones)])]);
    }

    /// <summary>The tones of <see cref="LongSongTones"/>-tone songs from the <see cref="LateStart"/>th on, as many as real windows hold.</summary>
    public const int LongSongTones = 512;

    public const int LateStart = 400;

    /// <summary>
    /// Songs of <see cref="LongSongTones"/> tones (in onset order; a song's steps give a few tones fewer, so a quarter more
    /// steps are made) and their tones from <see cref="LateStart"/> on, <paramref name="tones"/> of them.
    /// </summary>
    private static MusicSource Late(NamedPath model, int count, int tones, ulong seed, GenerationRequest sampling)
    {
        var songs = Sample(model, count, LongSongTones * 5 / 4, seed, sampling);
        return new MusicSource(
            $"{model.Name}, tones {LateStart}–{LateStart + tones}",
            [
                .. songs.Pieces.Select(p =>
                    (IReadOnlyList<Tone>)[.. p.OrderBy(t => t.Onset).ThenBy(t => t.Pitch).Take(LongSongTones).Skip(LateStart).Take(tones)]
                ),
            ]
        );
    }

    /// <summary>One seeded window of each song, doublings merged, at its place in the song's bars (see SeededWindowTones).</summary>
    private static IReadOnlyList<IReadOnlyList<Tone>> RealWindows(IReadOnlyList<Song> songs, int length, ulong seed) =>
        [.. songs.Select(song => Doublings.Merge(WindowedStatistics.SeededWindowTones(song, StepLayout.Monophonic, length, seed)))];

    private static string Split(this Corpus corpus) =>
        $"{corpus.Training.Count} training, {corpus.Validation.Count} validation, {corpus.Test.Count} test songs";

    /// <summary>The command as typed, with paths as given, so that the report says how to make it again.</summary>
    private static string CommandLineOf(ParseResult parse) =>
        "dotnet run -c Release --project inference/CrnnGan.Cli -- "
        + string.Join(' ', parse.Tokens.Select(t => t.Value.Contains(' ', StringComparison.Ordinal) ? $"\"{t.Value}\"" : t.Value));
}
