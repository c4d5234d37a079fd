using System.CommandLine;
using CrnnGan.Terminal;
using Spectre.Console;

namespace CrnnGan.Training.Commands;

/// <summary>`crnngan-train train`: trains C-RNN-GAN on a MIDI folder, one checkpoint per epoch.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data")
        {
            Description = "Folder of MIDI files (hold-out lists validation.txt/test.txt beside it are used when present).",
            Required = true,
        }.AcceptExistingOnly();
        var output = new Option<DirectoryInfo>("--out")
        {
            Description = "Output folder: checkpoint.zip, training-log.jsonl, samples/.",
            Required = true,
        };
        var settingsFile = new Option<FileInfo>("--settings")
        {
            Description = "Training settings as JSON (see README); flags override it.",
        }.AcceptExistingOnly();
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out from its checkpoint." };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda.", DefaultValueFactory = _ => "auto" };
        device.AcceptOnlyFromAmong("auto", "cpu", "cuda");
        var epochs = new Option<int?>("--epochs") { Description = "Epochs in all, pretraining included (default 100)." };
        var pretrainingEpochs = new Option<int?>("--pretraining-epochs") { Description = "Epochs of generator pretraining (default 6)." };
        var pretrainingOnly = new Option<bool?>("--pretraining-only")
        {
            Description = "Train by pretraining alone: the paper's maximum-likelihood baseline.",
        };
        var seed = new Option<ulong?>("--seed") { Description = "Seed of everything random (default 0)." };
        var tonesPerStep = new Option<int?>("--tones-per-step", "-k") { Description = "1 (C-RNN-GAN) or 3 (C-RNN-GAN-3)." };
        var hidden = new Option<int?>("--hidden") { Description = "LSTM units per layer (default 350)." };
        var layers = new Option<int?>("--layers") { Description = "LSTM layers per network (default 2)." };
        var batchSize = new Option<int?>("--batch-size") { Description = "Songs per batch (default 20)." };
        var sequenceLength = new Option<int?>("--sequence-length") { Description = "Steps per training window (default 100)." };
        var optimizer = new Option<OptimizerKind?>("--optimizer") { Description = "sgd (the paper's) or adam." };
        var generatorLoss = new Option<GeneratorLoss?>("--generator-loss")
        {
            Description =
                "featurematching (the paper's: batch means), pairedfeaturematching (the reference's: sample against sample), minimax or "
                + "nonsaturating.",
        };
        var sampleEvery = new Option<int?>("--sample-every") { Description = "Write sample MIDI files every N epochs (default 5; 0 never)." };
        var keepCheckpointEvery = new Option<int?>("--keep-checkpoint-every")
        {
            Description = "Keep a copy of the checkpoint every N epochs in checkpoints/ (default 0: only the latest).",
        };
        var threads = new Option<int>("--threads")
        {
            Description = "LibTorch threads (default: one per core; use 1 for runs side by side).",
            DefaultValueFactory = _ => 0,
        };

        var command = new Command("train", "Train C-RNN-GAN: pretraining, then adversarial training; a checkpoint and a log line every epoch.")
        {
            data,
            output,
            settingsFile,
            resume,
            device,
            epochs,
            pretrainingEpochs,
            pretrainingOnly,
            seed,
            tonesPerStep,
            hidden,
            layers,
            batchSize,
            sequenceLength,
            optimizer,
            generatorLoss,
            sampleEvery,
            keepCheckpointEvery,
            threads,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(threads) is < 0 or > 256)
                throw new ArgumentException($"--threads must be between 0 and 256, not {parse.GetValue(threads)}.");
            if (parse.GetValue(threads) > 0)
                TorchSharp.torch.set_num_threads(parse.GetValue(threads));

            // Flags apply on top of the saved run's settings when resuming, else on top of the file's or the defaults.
            TrainingSettings SettingsFor(TrainingSettings? saved)
            {
                var baseline = saved ?? (parse.GetValue(settingsFile) is { } file ? TrainingSettings.Load(file.FullName) : new TrainingSettings());
                return baseline with
                {
                    Model = baseline.Model with
                    {
                        TonesPerStep = parse.GetValue(tonesPerStep) ?? baseline.Model.TonesPerStep,
                        HiddenSize = parse.GetValue(hidden) ?? baseline.Model.HiddenSize,
                        Layers = parse.GetValue(layers) ?? baseline.Model.Layers,
                    },
                    Epochs = parse.GetValue(epochs) ?? baseline.Epochs,
                    PretrainingEpochs = parse.GetValue(pretrainingEpochs) ?? baseline.PretrainingEpochs,
                    PretrainingOnly = parse.GetValue(pretrainingOnly) ?? baseline.PretrainingOnly,
                    Seed = parse.GetValue(seed) ?? baseline.Seed,
                    BatchSize = parse.GetValue(batchSize) ?? baseline.BatchSize,
                    SequenceLength = parse.GetValue(sequenceLength) ?? baseline.SequenceLength,
                    Optimizer = parse.GetValue(optimizer) ?? baseline.Optimizer,
                    GeneratorLoss = parse.GetValue(generatorLoss) ?? baseline.GeneratorLoss,
                    SampleEvery = parse.GetValue(sampleEvery) ?? baseline.SampleEvery,
                    KeepCheckpointEvery = parse.GetValue(keepCheckpointEvery) ?? baseline.KeepCheckpointEvery,
                };
            }

            var torchDevice = TrainingDevice.Resolve(parse.GetValue(device)!);
            using var session = ProgressDisplay.Run(
                "Reading MIDI",
                "files",
                task =>
                    TrainingSession.Start(
                        parse.GetValue(data)!.FullName,
                        parse.GetValue(output)!.FullName,
                        parse.GetValue(resume),
                        SettingsFor,
                        torchDevice,
                        ProgressDisplay.Counts(task)
                    )
            );
            var (trainer, corpus, settings) = (session.Trainer, session.Corpus, session.Settings);
            var console = ProgressDisplay.Stderr;
            var (training, validation, unusable) = (trainer.TrainingSongs, corpus.Validation.Count, corpus.Unusable.Count);
            var description = $"{CorpusDescription(corpus)}; device {torchDevice.type}";
            console.MarkupLineInterpolated(
                $"[bold]{training}[/] training and [bold]{validation}[/] validation songs ({unusable} files unusable); {description}."
            );
            if (trainer.Family.Describe(corpus.Training) is { } choices)
                console.MarkupLine(Markup.Escape(choices));
            if (session.Resumed)
                console.MarkupLineInterpolated($"Resuming after epoch [bold]{trainer.EpochsDone}[/] of {settings.Epochs}.");

            while (!session.Done)
            {
                var epoch = trainer.EpochsDone + 1;
                var result = ProgressDisplay.Run(
                    $"epoch {epoch}/{settings.Epochs}",
                    "songs",
                    task =>
                        session.RunEpoch(
                            new Progress<(int Done, int Total, LossSummary Losses)>(p =>
                            {
                                task.MaxValue = p.Total * settings.BatchSize;
                                task.Value = p.Done * settings.BatchSize;
                                task.Description = $"epoch {epoch}/{settings.Epochs} {Describe(p.Losses)}";
                            })
                        )
                );
                console.MarkupLine(Markup.Escape(Summary(result)));
            }
            console.MarkupLineInterpolated($"Done: {trainer.EpochsDone} epochs in {session.Run.Folder}.");
            return 0;
        });
        return command;
    }

    private static string CorpusDescription(CrnnGan.Inference.Data.Corpus corpus) =>
        corpus.MissingFromFolder.Count > 0 ? $"{corpus.MissingFromFolder.Count} hold-out entries name no file" : "hold-out complete";

    private static string Describe(LossSummary losses) =>
        losses.Discriminator is { } d ? $"D {d:0.000} G {losses.Generator:0.000}" : $"pretraining {losses.Pretraining:0.0000}";

    private static string Summary(EpochResult r) =>
        $"epoch {r.Epoch} {r.Phase} (length {r.SequenceLength}): train {Describe(r.Training)}, validation {Describe(r.Validation)}"
        + (r.Phase == "adversarial" ? $", skipped D {r.DiscriminatorUpdatesSkipped} G {r.GeneratorUpdatesSkipped}" : "")
        + $", {r.Seconds:0.0} s, {r.SongsPerSecond:0.0} songs/s, peak {r.PeakMemoryMegabytes:0} MB";
}
