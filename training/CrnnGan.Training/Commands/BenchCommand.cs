using System.CommandLine;
using CrnnGan.Terminal;
using CrnnGan.Training.Benchmarks;
using CrnnGan.Training.Model;
using CrnnGan.Training.Training;
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
        var training = new Command("training", "One pretraining and one adversarial epoch at full window length on CPU: seconds per epoch and training FLOP rate against the matrix-multiply rate.")
        {
            data, hidden, seed,
        };
        training.SetAction(parse => RunTraining(parse.GetValue(data)!.FullName, parse.GetValue(hidden), parse.GetValue(seed)));
        return new Command("bench", "Benchmarks that print figures.") { training };
    }

    private static int RunTraining(string data, int hidden, ulong seed)
    {
        var console = ProgressDisplay.Stderr;
        var settings = new TrainingSettings
        {
            Model = new ModelSettings(HiddenSize: hidden),
            PretrainingEpochs = 1,
            Epochs = 2,
            CurriculumStep = 0,
            FreezeRatio = 0,
            Seed = seed,
        };
        var corpus = ProgressDisplay.Run("Reading MIDI", "files", task =>
            TrainingRun.LoadCorpus(data, seed, settings.BatchSize, new Progress<(int Done, int Total)>(p => (task.MaxValue, task.Value) = (p.Total, p.Done))));
        var songs = new SongWindows(corpus.Training, settings.Model.Layout);
        var validation = new SongWindows(corpus.Validation, settings.Model.Layout);

        var matmulBefore = MatrixMultiplyRate.Measure();
        using var trainer = new Trainer(settings, CPU);
        var results = new List<EpochResult>();
        for (var epoch = 0; epoch < settings.Epochs; epoch++)
        {
            results.Add(ProgressDisplay.Run($"epoch {epoch + 1} ({(settings.IsPretraining(epoch) ? "pretraining" : "adversarial")})", "songs", task =>
                trainer.RunEpoch(songs, validation, new Progress<(int Done, int Total, LossSummary Losses)>(p =>
                    (task.MaxValue, task.Value) = (p.Total * settings.BatchSize, p.Done * settings.BatchSize)))));
        }
        var matmulAfter = MatrixMultiplyRate.Measure();
        var matmul = Math.Max(matmulBefore, matmulAfter);

        var table = new Table().Title($"Training benchmark: hidden {hidden}, batch {settings.BatchSize}, {settings.SequenceLength} steps, {get_num_threads()} threads, {songs.Count} songs")
            .AddColumns("epoch", "batches", "seconds (all)", "songs/s", "s/batch", "GFLOP/s", "share of matmul");
        foreach (var r in results)
        {
            var flops = r.Batches * (r.Phase == "pretraining"
                ? TrainingFlops.PretrainingBatch(settings.Model, settings.BatchSize, r.SequenceLength)
                : TrainingFlops.AdversarialBatch(settings.Model, settings.BatchSize, r.SequenceLength));
            var rate = flops / r.TrainingSeconds / 1e9;
            table.AddRow(r.Phase, $"{r.Batches}", $"{r.Seconds:0.0}", $"{r.SongsPerSecond:0.0}", $"{r.TrainingSeconds / r.Batches:0.000}", $"{rate:0.0}", $"{rate / matmul:P0}");
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"matrix multiply (1024³, fp32, LibTorch): {matmul:0.0} GFLOP/s (before {matmulBefore:0.0}, after {matmulAfter:0.0}); peak memory {results.Max(r => r.PeakMemoryMegabytes):0} MB");
        return 0;
    }
}
