using CrnnGan.Inference.Data;
using CrnnGan.Inference.Storage;

namespace CrnnGan.Training.Training;

/// <summary>
/// A training run in an output folder: checkpoint.zip (the latest epoch, replaced atomically),
/// training-log.jsonl (one line per epoch), samples/epoch-NNNN/*.mid and, when asked, checkpoints/epoch-NNNN.zip.
/// It refuses to start over an existing run unless asked to resume it, so nothing is overwritten by mistake.
/// </summary>
public sealed class TrainingRun
{
    private TrainingRun(string folder)
    {
        Folder = folder;
        CheckpointPath = System.IO.Path.Combine(folder, Checkpoint.FileName);
        Log = new TrainingLog(System.IO.Path.Combine(folder, TrainingLog.FileName));
    }

    public string Folder { get; }

    public string CheckpointPath { get; }

    public TrainingLog Log { get; }

    /// <summary>Checks that the folder can hold a run (created if missing, writable, and free or resumed).</summary>
    public static TrainingRun Prepare(string folder, bool resume)
    {
        var run = new TrainingRun(System.IO.Path.GetFullPath(folder));
        try
        {
            Directory.CreateDirectory(run.Folder);
            var probe = System.IO.Path.Combine(run.Folder, $".write-test-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot write to the output folder {run.Folder}: {e.Message}", e);
        }
        var exists = File.Exists(run.CheckpointPath);
        if (resume && !exists)
            throw new ArgumentException($"There is nothing to resume: {run.Folder} holds no {Checkpoint.FileName}.");
        if (!resume && exists)
            throw new ArgumentException(
                $"{run.Folder} already holds a training run ({Checkpoint.FileName}); pass --resume to continue it, or choose another output folder."
            );
        return run;
    }

    /// <summary>
    /// Ends an epoch: its log line, its samples when due, then the checkpoint that makes it count. An epoch whose losses are
    /// not finite has diverged: nothing of it is written, and the run stops with the last finite epoch's checkpoint.
    /// </summary>
    /// <exception cref="TrainingDivergedException">A training or validation loss of the epoch is infinite or not a number.</exception>
    public void Complete(Trainer trainer, EpochResult result, string data, string codeVersion)
    {
        var diverged = result.Training.NotFinite().Select(l => "training " + l).Concat(result.Validation.NotFinite().Select(l => "validation " + l));
        if (diverged.ToList() is { Count: > 0 } losses)
            throw new TrainingDivergedException(
                $"Epoch {result.Epoch} diverged: its {string.Join(", ", losses)}. Nothing of it was written; "
                    + $"{CheckpointPath} holds {(result.Epoch > 1 ? $"epoch {result.Epoch - 1}" : "no epoch yet")}."
            );
        Log.Append(result);
        var settings = trainer.Settings;
        if (settings.SampleEvery > 0 && settings.SamplesWritten > 0 && result.Epoch % settings.SampleEvery == 0)
            WriteSamples(trainer, result.Epoch);
        Checkpoint.Save(trainer, CheckpointPath, data, codeVersion);
        if (settings.KeepCheckpointEvery > 0 && result.Epoch % settings.KeepCheckpointEvery == 0)
            KeepCheckpoint(result.Epoch);
    }

    private void KeepCheckpoint(int epoch)
    {
        var folder = Directory.CreateDirectory(System.IO.Path.Combine(Folder, "checkpoints")).FullName;
        AtomicFile.Copy(CheckpointPath, System.IO.Path.Combine(folder, $"epoch-{epoch:0000}.zip"));
    }

    private void WriteSamples(Trainer trainer, int epoch)
    {
        var folder = System.IO.Path.Combine(Folder, "samples", $"epoch-{epoch:0000}");
        Directory.CreateDirectory(folder);
        var songs = trainer.Sample(trainer.Settings.SamplesWritten, trainer.Settings.Seed + (ulong)epoch);
        for (var i = 0; i < songs.Count; i++)
            MidiWriter.WriteFile(new Song($"sample-{i}", songs[i], TempoMap.Default), System.IO.Path.Combine(folder, $"sample-{i}.mid"));
    }

    /// <summary>Loads the corpus for training; refuses one without enough songs to train on.</summary>
    public static Corpus LoadCorpus(string data, ulong seed, int batchSize, IProgress<(int Done, int Total)>? progress = null)
    {
        var corpus = CorpusLoader.Load(data, CorpusSplit.Default(data, seed), progress: progress);
        if (corpus.FilesFound == 0)
            throw new InvalidDataException($"The data folder {corpus.Root} holds no MIDI files (.mid, .midi, .kar, .rmi).");
        if (corpus.Training.Count == 0)
            throw new InvalidDataException(
                $"No usable MIDI file for training in {corpus.Root}: {corpus.Unusable.Count} of {corpus.FilesFound} files are unusable (first: "
                    + $"{(corpus.Unusable.Count > 0 ? corpus.Unusable[0].Reason : "none")})."
            );
        if (corpus.Training.Count < batchSize)
            throw new InvalidDataException($"{corpus.Training.Count} training songs in {corpus.Root} do not fill one batch of {batchSize}.");
        return corpus;
    }
}
