using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using CrnnGan.Inference.Data;
using CrnnGan.Inference.Features;
using CrnnGan.Inference.Music;
using CrnnGan.Terminal;
using Spectre.Console;

namespace CrnnGan.Cli.Commands;

/// <summary>`crnngan corpus FOLDER`: loads a MIDI corpus and reports what the model would train on.</summary>
public static class CorpusCommand
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static Command Create()
    {
        var folder = new Argument<DirectoryInfo>("folder") { Description = "Folder of MIDI files, searched recursively." }.AcceptExistingOnly();
        var validationList = new Option<FileInfo>("--validation-list")
        {
            Description =
                "Hold-out list of validation files (paths relative to the list's folder). Default: validation.txt in the folder or its parent.",
        }.AcceptExistingOnly();
        var testList = new Option<FileInfo>("--test-list")
        {
            Description = "Hold-out list of test files. Default: test.txt beside the validation list.",
        }.AcceptExistingOnly();
        var validationPercent = new Option<double?>("--validation-percent")
        {
            Description = "Split by seeded percentages instead of lists: share of songs for validation (default 10).",
        };
        var testPercent = new Option<double?>("--test-percent")
        {
            Description = "Share of songs for test when splitting by percentages (default 5).",
        };
        var seed = new Option<ulong>("--seed")
        {
            Description = "Seed of the percentage split and of each song's statistics window.",
            DefaultValueFactory = _ => 0,
        };
        var tonesPerStep = new Option<int>("--tones-per-step", "-k")
        {
            Description = "Tones per model step: 1 (C-RNN-GAN) or 3 (C-RNN-GAN-3).",
            DefaultValueFactory = _ => 1,
        };
        var window = new Option<int>("--window")
        {
            Description = "Steps per statistics window (the paper samples 100).",
            DefaultValueFactory = _ => 100,
        };
        var percussion = new Option<bool>("--include-percussion") { Description = "Keep notes of the percussion channel (10)." };
        var json = new Option<bool>("--json") { Description = "Write the report as JSON to stdout (progress goes to stderr)." };

        tonesPerStep.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > StepLayout.MaxTonesPerStep)
                r.AddError($"--tones-per-step must be between 1 and {StepLayout.MaxTonesPerStep}.");
        });
        window.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
                r.AddError("--window must be at least 1 step.");
        });

        var command = new Command(
            "corpus",
            "Load a folder of MIDI files: counts, unusable files with reasons, feature percentiles and the paper's statistics."
        )
        {
            folder,
            validationList,
            testList,
            validationPercent,
            testPercent,
            seed,
            tonesPerStep,
            window,
            percussion,
            json,
        };
        command.SetAction(parse =>
        {
            var root = parse.GetValue(folder)!.FullName;
            var seedValue = parse.GetValue(seed);
            var split = ChooseSplit(
                root,
                parse.GetValue(validationList),
                parse.GetValue(testList),
                parse.GetValue(validationPercent),
                parse.GetValue(testPercent),
                seedValue
            );
            var layout = new StepLayout(parse.GetValue(tonesPerStep));
            var options = new MidiReadOptions(IncludePercussion: parse.GetValue(percussion));

            var corpus = ProgressDisplay.Run(
                "Reading MIDI",
                "files",
                task =>
                {
                    var loaded = CorpusLoader.Load(root, split, options, ProgressDisplay.Counts(task));
                    task.Value = task.MaxValue;
                    return loaded;
                }
            );
            if (corpus.SongCount == 0)
                throw new InvalidDataException(
                    $"No usable MIDI file in {root} ({corpus.FilesFound} MIDI files found, {corpus.Unusable.Count} unusable)."
                );

            var report = CorpusReport.Of(corpus, split.Describe(), layout, parse.GetValue(window), seedValue);
            if (parse.GetValue(json))
                Console.Out.WriteLine(JsonSerializer.Serialize(report, Json));
            else
                CorpusReportView.Print(report, AnsiConsole.Console);
            return 0;
        });
        return command;
    }

    private static CorpusSplit ChooseSplit(
        string root,
        FileInfo? validationList,
        FileInfo? testList,
        double? validationPercent,
        double? testPercent,
        ulong seed
    )
    {
        if (validationPercent is not null || testPercent is not null)
            return new CorpusSplit.Percentages(validationPercent ?? 10, testPercent ?? 5, seed).Validate();
        if (validationList is not null || testList is not null)
        {
            var validation = validationList?.FullName ?? Path.Combine(testList!.DirectoryName!, "validation.txt");
            var test = testList?.FullName ?? Path.Combine(validationList!.DirectoryName!, "test.txt");
            return new CorpusSplit.HoldOutLists(validation, test);
        }
        return CorpusSplit.Default(root, seed);
    }
}
