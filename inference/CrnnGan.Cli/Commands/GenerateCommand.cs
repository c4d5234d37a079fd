using System.CommandLine;
using System.Diagnostics;
using CrnnGan.Cli.Datasets;
using CrnnGan.Inference.Datasets;
using CrnnGan.Inference.Generation;
using CrnnGan.Inference.Music;
using CrnnGan.Inference.Statistics;
using CrnnGan.Terminal;
using Spectre.Console;

namespace CrnnGan.Cli.Commands;

/// <summary>`crnngan generate`: songs from an exported generator, as MIDI or JSON files with a manifest.</summary>
public static class GenerateCommand
{
    public static Command Create()
    {
        var model = new Option<FileInfo>("--model") { Description = "An exported generator (.onnx). Default: the bundled model." };
        var count = new Option<int>("--count", "-n") { Description = "How many songs.", DefaultValueFactory = _ => 1 };
        var steps = new Option<int>("--steps")
        {
            Description = "Steps per song after the primer (a step is a tone, or a chord with -k 3 models).",
            DefaultValueFactory = _ => GenerationRequest.DefaultSteps,
        };
        var duration = new Option<double?>("--duration") { Description = "Generate until each song lasts this many seconds, instead of --steps." };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the first song; song i uses seed + i.", DefaultValueFactory = _ => 0 };
        var tempo = new Option<double?>("--tempo") { Description = "Tempo in BPM (default: the model's)." };
        var program = new Option<int>("--program")
        {
            Description = "General MIDI program, 0..127 (0 = acoustic grand piano).",
            DefaultValueFactory = _ => 0,
        };
        var noiseScale = new Option<float>("--noise-scale")
        {
            Description = "Spread of the noise: 1 as trained, lower is tamer, higher wilder.",
            DefaultValueFactory = _ => 1f,
        };
        var topP = new Option<float?>("--top-p")
        {
            Description = "Tone models: draw pitch and time from the likeliest classes whose probabilities reach this (0..1]. Default: the model's.",
        };
        var temperature = new Option<float?>("--temperature")
        {
            Description = "Tone models: sampling temperature, 1 as trained (lower: safer, more repetitive; 0: likeliest). Default: the model's.",
        };
        var key = new Option<string>("--key")
        {
            Description = "Tone models: the key of every song, e.g. C, F#m, Bb; random (default) draws one per song from its seed.",
            DefaultValueFactory = _ => "random",
        };
        var timing = new Option<string>("--timing")
        {
            Description =
                "Models that read their song's timing (versions 6 to 9): metered or free for every song; random (default) draws each from its seed.",
            DefaultValueFactory = _ => SongTimingNames.Random,
        };
        timing.AcceptOnlyFromAmong([.. SongTimingNames.All]);
        var primer = new Option<FileInfo>("--primer") { Description = "A MIDI file whose tones the model continues." }.AcceptExistingOnly();
        var format = new Option<string>("--format") { Description = "midi or json.", DefaultValueFactory = _ => "midi" };
        format.AcceptOnlyFromAmong("midi", "json");
        var output = new Option<DirectoryInfo>("--out", "-o")
        {
            Description = "Output folder.",
            DefaultValueFactory = _ => new DirectoryInfo("generated"),
        };
        var parallel = new Option<int>("--parallel") { Description = "Batches generated at once.", DefaultValueFactory = _ => 1 };
        var batchSize = new Option<int>("--batch-size")
        {
            Description = "Songs per batch (part of what makes the bytes: keep it to reproduce a dataset).",
            DefaultValueFactory = _ => 16,
        };
        var provider = new Option<ExecutionProvider>("--provider")
        {
            Description = "auto (CUDA when present, else CPU), cpu or cuda.",
            DefaultValueFactory = _ => ExecutionProvider.Auto,
        };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime threads per step (0: one per core).", DefaultValueFactory = _ => 0 };

        var command = new Command("generate", "Generate songs with an exported C-RNN-GAN generator; resumes an interrupted run in the same folder.")
        {
            model,
            count,
            steps,
            duration,
            seed,
            tempo,
            program,
            noiseScale,
            temperature,
            topP,
            key,
            timing,
            primer,
            format,
            output,
            parallel,
            batchSize,
            provider,
            threads,
        };
        command.SetAction(parse =>
        {
            var modelPath = parse.GetValue(model)?.FullName ?? BundledModel.Path;
            if (!File.Exists(modelPath))
                throw new FileNotFoundException(
                    parse.GetValue(model) is null
                        ? $"No --model given and no bundled model at {modelPath}. Export one with crnngan-train export and pass --model."
                        : $"There is no model at {modelPath}."
                );
            if (parse.GetValue(parallel) is < 1 or > 64)
                throw new ArgumentException($"--parallel must be between 1 and 64, not {parse.GetValue(parallel)}.");
            var primerPath = parse.GetValue(primer)?.FullName;
            var request = new GenerationRequest
            {
                Count = parse.GetValue(count),
                Steps = parse.GetValue(steps),
                DurationSeconds = parse.GetValue(duration),
                Seed = parse.GetValue(seed),
                Bpm = parse.GetValue(tempo),
                Program = parse.GetValue(program),
                NoiseScale = parse.GetValue(noiseScale),
                Temperature = parse.GetValue(temperature),
                TopP = parse.GetValue(topP),
                Key = KeyOption(parse.GetValue(key)!),
                Timing = TimingOption(parse.GetValue(timing)!),
                Primer = primerPath is null ? null : MidiReader.Read(primerPath).Tones,
                BatchSize = parse.GetValue(batchSize),
            };

            using var session = GeneratorSession.Open(
                modelPath,
                new GeneratorSessionOptions(parse.GetValue(provider), parse.GetValue(threads)),
                new StderrLogger()
            );
            var formatName = parse.GetValue(format)!;
            request = request.Resolve(session.Metadata);
            var settings = DatasetSettings.Of(request, modelPath, formatName, primerPath);
            var folder = DatasetFolder.Open(parse.GetValue(output)!.FullName, settings);
            var generator = new SongGenerator(session);

            var alreadyDone = Enumerable.Range(0, request.Count).Count(folder.IsDone);
            var clock = Stopwatch.StartNew();
            ProgressDisplay.Run(
                $"Generating on {session.Provider}",
                "songs",
                task =>
                {
                    task.MaxValue = request.Count;
                    task.Value = alreadyDone;
                    Parallel.For(
                        0,
                        SongGenerator.Batches(request),
                        new ParallelOptions { MaxDegreeOfParallelism = parse.GetValue(parallel) },
                        batch =>
                        {
                            var indices = Enumerable.Range(
                                batch * request.BatchSize,
                                Math.Min(request.BatchSize, request.Count - batch * request.BatchSize)
                            );
                            if (indices.All(folder.IsDone))
                                return;
                            foreach (var song in generator.GenerateBatch(request, batch).Where(s => !folder.IsDone(s.Index)))
                            {
                                var file = DatasetSong.Of(song, settings, (s, extension) => $"song-{s.Index:000000}.{extension}");
                                folder.Add(file.Entry, file.Bytes);
                                task.Increment(1);
                            }
                        }
                    );
                    return 0;
                }
            );

            var entries = folder.Entries.Where(e => e.Index < request.Count).ToList();
            var made = entries.Count - alreadyDone;
            var (seconds, device) = (clock.Elapsed.TotalSeconds, session.Provider);
            var rate = made / Math.Max(seconds, 1e-9);
            var path = folder.Path;
            AnsiConsole.MarkupLineInterpolated(
                $"{made} songs written to [bold]{path}[/] in {seconds:0.0} s ({rate:0.0} songs/s on {device}); {alreadyDone} were already there."
            );
            AnsiConsole.MarkupLineInterpolated($"Manifest: {folder.ManifestPath}");
            var table = new Table().Title("The paper's statistics over the songs (mean ± sd)").AddColumns("statistic", "value");
            var summary = StatisticSummary.Of([.. entries.Select(e => e.Statistics)]);
            foreach (var s in summary)
                table.AddRow(s.Name, $"{s.Mean:0.###} ± {s.StandardDeviation:0.###}");
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    /// <summary>--timing as given (one of those it accepts): random (null), metered or free.</summary>
    private static SongTiming? TimingOption(string text) => SongTimingNames.TryParse(text, out var timing) ? timing : null;

    /// <summary>--key as given: "random" (null) or a key such as C, F#m, Bb.</summary>
    public static MusicalKey? KeyOption(string text) =>
        text.Equals("random", StringComparison.OrdinalIgnoreCase) ? null
        : MusicalKey.TryParse(text, out var key) ? key
        : throw new ArgumentException($"--key must be a key such as C, F#m or Bb, or random, not '{text}'.");
}
