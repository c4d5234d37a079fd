using System.CommandLine;
using CrnnGan.Inference.Data;
using CrnnGan.Terminal;
using CrnnGan.Training.Benchmarks;
using Spectre.Console;
using static TorchSharp.torch;

namespace CrnnGan.Training.Commands;

/// <summary>`crnngan-train bench`: benchmarks that print figures, each measured side by side with the machine's matrix-multiply rate.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "Folder of MIDI files to train on.", Required = true }.AcceptExistingOnly();
        var hidden = new Option<int>("--hidden") { Description = "LSTM units (default 350, the paper's).", DefaultValueFactory = _ => 350 };
        var seed = new Option<ulong>("--seed") { Description = "Seed.", DefaultValueFactory = _ => 0 };
        var settingsFiles = new Option<FileInfo[]>("--settings")
        {
            Description = "Training settings files (any family) to measure side by side, fresh networks; default: the paper's model.",
            AllowMultipleArgumentsPerToken = true,
        }.AcceptExistingOnly();
        var batchesOption = new Option<int>("--batches")
        {
            Description = "Batches in each measured epoch (the first training songs that fill them).",
            DefaultValueFactory = _ => 4,
        };
        var training = new Command(
            "training",
            "A pretraining and an adversarial epoch (each after one that warms up) at full window length on CPU for each settings file: "
                + "seconds per batch, training "
                + "FLOP rate against the matrix-multiply rate, and what a whole epoch of the corpus takes."
        )
        {
            data,
            hidden,
            seed,
            settingsFiles,
            batchesOption,
        };
        training.SetAction(parse =>
            RunTraining(
                parse.GetValue(data)!.FullName,
                parse.GetValue(hidden),
                parse.GetValue(seed),
                [.. (parse.GetValue(settingsFiles) ?? []).Select(f => f.FullName)],
                parse.GetValue(batchesOption)
            )
        );

        var checkpoint = new Option<FileInfo>("--checkpoint")
        {
            Description = "A checkpoint whose generator to measure; default: a seeded, untrained generator of --hidden units.",
        }.AcceptExistingOnly();
        var generationHidden = new Option<int>("--hidden")
        {
            Description = "LSTM units of the untrained generator (default 350, the paper's).",
            DefaultValueFactory = _ => 350,
        };
        var batch = new Option<int>("--batch") { Description = "Songs per batch for throughput.", DefaultValueFactory = _ => 64 };
        var steps = new Option<int>("--steps") { Description = "Steps per song.", DefaultValueFactory = _ => 256 };
        var runs = new Option<int>("--latency-runs")
        {
            Description = "Single-song runs for the latency percentiles.",
            DefaultValueFactory = _ => 100,
        };
        var threads = new Option<int>("--threads")
        {
            Description = "Threads for both paths (default: one per core).",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        var models = new Option<FileInfo[]>("--model")
        {
            Description = "Exported models (.onnx, any family, int8 too) to measure through the library instead, side by side.",
            AllowMultipleArgumentsPerToken = true,
        }.AcceptExistingOnly();
        var generation = new Command(
            "generation",
            "ONNX Runtime against TorchSharp eager on the same generator, or exported models through the library (--model): songs/s at "
                + "a batch, latency at batch 1, FLOP rate against matmul."
        )
        {
            models,
            checkpoint,
            generationHidden,
            batch,
            steps,
            runs,
            threads,
        };
        generation.SetAction(parse =>
            parse.GetValue(models) is { Length: > 0 } files
                ? RunModels(
                    [.. files.Select(f => f.FullName)],
                    parse.GetValue(batch),
                    parse.GetValue(steps),
                    parse.GetValue(runs),
                    parse.GetValue(threads)
                )
                : RunGeneration(
                    parse.GetValue(checkpoint)?.FullName,
                    parse.GetValue(generationHidden),
                    parse.GetValue(batch),
                    parse.GetValue(steps),
                    parse.GetValue(runs),
                    parse.GetValue(threads)
                )
        );
        return new Command("bench", "Benchmarks that print figures.") { training, generation };
    }

    private static int RunGeneration(string? checkpoint, int hidden, int batch, int steps, int latencyRuns, int threads)
    {
        set_num_threads(threads);
        manual_seed(0);
        using var trainer = checkpoint is null
            ? new Trainer(new PaperGan(new TrainingSettings { Model = new ModelSettings(HiddenSize: hidden) }, CPU))
            : Checkpoint.Load(checkpoint, CPU);
        var m = trainer.Settings.Model;
        var paper = trainer.FamilyAs<PaperGan>($"The generation benchmark measures the paper's model ({checkpoint})");
        var figures = GenerationBenchmark.Run(paper.TypedGenerator, batch, steps, latencyRuns, threads);
        var libTorch = MatrixMultiplyRate.LibTorch();
        var onnxRuntime = MatrixMultiplyRate.OnnxRuntime(threads: threads);
        var matmul = Math.Max(libTorch, onnxRuntime);

        var table = new Table()
            .Title($"Generation: hidden {m.HiddenSize} × {m.Layers}, {m.TonesPerStep} tone(s) per step, {steps} steps, {threads} threads")
            .AddColumns("path", $"songs/s (batch {batch})", "GFLOP/s", "share of matmul", "latency p50 (batch 1)", "p99");
        foreach (var f in figures)
            table.AddRow(
                f.Path,
                $"{f.SongsPerSecond:0.0}",
                $"{f.GigaflopsPerSecond:0.0}",
                $"{f.GigaflopsPerSecond / matmul:P0}",
                $"{f.LatencyP50Milliseconds:0.0} ms",
                $"{f.LatencyP99Milliseconds:0.0} ms"
            );
        AnsiConsole.Write(table);
        var (onnx, torch) = (figures[0], figures[1]);
        AnsiConsole.MarkupLine(
            $"matrix multiply (1024³, fp32), the faster of: LibTorch {libTorch:0.0} GFLOP/s, ONNX Runtime {onnxRuntime:0.0} GFLOP/s"
        );
        AnsiConsole.MarkupLine(
            $"ONNX Runtime / TorchSharp: throughput × {onnx.SongsPerSecond / torch.SongsPerSecond:0.00}, latency p50 × "
                + $"{onnx.LatencyP50Milliseconds / torch.LatencyP50Milliseconds:0.00}"
        );
        return 0;
    }

    private static int RunModels(IReadOnlyList<string> paths, int batch, int steps, int latencyRuns, int threads)
    {
        // The machine's speed drifts over a run (a shared 2-core machine measured 255 to 408 GFLOP/s in one afternoon), so each
        // model's share is taken against the matmul rate measured just before and just after it, not one rate for all.
        var rates = new List<double> { MatrixMultiplyRate.OnnxRuntime(threads: threads) };
        var figures = new List<ModelFigures>();
        foreach (var path in paths)
        {
            figures.Add(ModelBenchmark.Run(path, batch, steps, latencyRuns, threads));
            rates.Add(MatrixMultiplyRate.OnnxRuntime(threads: threads));
        }
        var table = new Table()
            .Title($"Generation through the library (SongGenerator, decoding included): {steps} steps, {threads} threads, CPU")
            .AddColumns(
                "model",
                "contract",
                "MFLOP/step",
                $"songs/s (batch {batch})",
                "GFLOP/s",
                "share of matmul",
                "latency p50 (batch 1)",
                "p99",
                $"p50 × {figures[0].Model}'s"
            );
        foreach (var (f, i) in figures.Select((f, i) => (f, i)))
            table.AddRow(
                f.Model,
                f.Contract,
                $"{f.FlopsPerStep / 1e6:0.00}",
                $"{f.SongsPerSecond:0.0}",
                $"{f.GigaflopsPerSecond(steps):0.0}",
                $"{f.GigaflopsPerSecond(steps) / ((rates[i] + rates[i + 1]) / 2):P0}",
                $"{f.LatencyP50Milliseconds:0.0} ms",
                $"{f.LatencyP99Milliseconds:0.0} ms",
                $"{f.LatencyP50Milliseconds / figures[0].LatencyP50Milliseconds:0.00}"
            );
        AnsiConsole.Write(table);
        var measured = string.Join(", ", rates.Select(r => $"{r:0.0}"));
        AnsiConsole.MarkupLine(
            $"matrix multiply (1024³, fp32, ONNX Runtime), measured before the first model and after each: {measured} GFLOP/s; "
                + "a model's share is of the mean of the two around it"
        );
        return 0;
    }

    private static int RunTraining(string data, int hidden, ulong seed, IReadOnlyList<string> settingsFiles, int batches)
    {
        var measured =
            settingsFiles.Count > 0
                ? settingsFiles
                    .Select(f => (Path.GetFileNameWithoutExtension(f).Replace("-training-settings", ""), TrainingSettings.Load(f)))
                    .ToList()
                : [("paper", new TrainingSettings { Model = new ModelSettings(HiddenSize: hidden) })];
        // Fresh, seeded networks in which both networks update every batch: two pretraining epochs, then two of the game; the
        // first of each warms up (allocator, kernels chosen on first use) and only the second is measured.
        var runs = measured
            .Select(m =>
                (
                    m.Item1,
                    Settings: m.Item2 with
                    {
                        GeneratorFrom = null,
                        PretrainingEpochs = 2,
                        Epochs = 4,
                        PretrainingOnly = false,
                        CurriculumStep = 0,
                        FreezeRatio = 0,
                        Seed = seed,
                    }
                )
            )
            .ToList();
        if (runs.SelectMany(r => r.Settings.Problems()).ToList() is { Count: > 0 } problems)
            throw new ArgumentException($"The training settings are not valid: {string.Join("; ", problems)}.");
        var corpus = ProgressDisplay.Run(
            "Reading MIDI",
            "files",
            task => TrainingRun.LoadCorpus(data, seed, runs.Max(r => r.Settings.BatchSize), ProgressDisplay.Counts(task))
        );
        var matmulBefore = MatrixMultiplyRate.LibTorch();
        var results = runs.Select(r => (r.Item1, r.Settings, Epochs: Measure(corpus, r.Settings, batches))).ToList();
        var matmulAfter = MatrixMultiplyRate.LibTorch();
        var matmul = Math.Max(matmulBefore, matmulAfter);

        var table = new Table()
            .Title($"Training benchmark: {batches} batches an epoch, {get_num_threads()} threads, CPU")
            .AddColumns("settings", "model", "epoch", "batch × steps", "s/batch", "songs/s", "GFLOP/s", "share of matmul", "corpus epoch");
        foreach (var (name, settings, epochs) in results)
        {
            var m = settings.Model;
            var corpusBatches = LongEnough(corpus.Training, settings).Count() / settings.BatchSize;
            foreach (var r in epochs)
            {
                var flops =
                    r.Batches
                    * (
                        r.Phase == "pretraining"
                            ? TrainingFlops.PretrainingBatch(m, settings.BatchSize, r.SequenceLength)
                            : TrainingFlops.AdversarialBatch(m, settings.BatchSize, r.SequenceLength, settings.LikelihoodWeight > 0)
                    );
                var rate = flops / r.TrainingSeconds / 1e9;
                table.AddRow(
                    name,
                    $"{m.Family.ToString().ToLowerInvariant()}, {m.HiddenSize} × {m.Layers}",
                    r.Phase,
                    $"{settings.BatchSize} × {r.SequenceLength}",
                    $"{r.TrainingSeconds / r.Batches:0.000}",
                    $"{r.SongsPerSecond:0.0}",
                    $"{rate:0.0}",
                    $"{rate / matmul:P0}",
                    $"{r.TrainingSeconds / r.Batches * corpusBatches:0} s ({corpusBatches} batches)"
                );
            }
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(
            $"matrix multiply (1024³, fp32, LibTorch): {matmul:0.0} GFLOP/s (before {matmulBefore:0.0}, after {matmulAfter:0.0}); peak memory "
                + $"{results.SelectMany(r => r.Epochs).Max(r => r.PeakMemoryMegabytes):0} MB"
        );
        return 0;
    }

    /// <summary>
    /// The measured pretraining and adversarial epochs of one settings' run on the first training songs that fill
    /// <paramref name="batches"/> batches.
    /// </summary>
    private static List<EpochResult> Measure(Corpus corpus, TrainingSettings settings, int batches)
    {
        var longEnough = LongEnough(corpus.Training, settings).ToList();
        var songs = longEnough.Take(batches * settings.BatchSize).ToList();
        if (songs.Count < batches * settings.BatchSize)
            throw new ArgumentException($"{longEnough.Count} training songs of {settings.SequenceLength} tones do not fill {batches} batches.");
        using var trainer = Trainer.Create(settings, CPU, corpus.Training);
        trainer.UseData(songs, [.. LongEnough(corpus.Validation, settings).Take(settings.BatchSize)]);
        var results = new List<EpochResult>();
        while (trainer.EpochsDone < settings.Epochs)
        {
            var phase = settings.IsPretraining(trainer.EpochsDone) ? "pretraining" : "adversarial";
            results.Add(
                ProgressDisplay.Run(
                    $"{settings.Model.Family.ToString().ToLowerInvariant()} {phase}",
                    "songs",
                    task =>
                        trainer.RunEpoch(
                            new Progress<(int Done, int Total, LossSummary Losses)>(p =>
                                (task.MaxValue, task.Value) = (p.Total * settings.BatchSize, p.Done * settings.BatchSize)
                            )
                        )
                )
            );
        }
        return [results[1], results[3]];
    }

    /// <summary>The songs that give a training window: at least a window's tones.</summary>
    private static IEnumerable<Song> LongEnough(IEnumerable<Song> songs, TrainingSettings settings) =>
        songs.Where(s => s.Tones.Count >= settings.SequenceLength);
}
