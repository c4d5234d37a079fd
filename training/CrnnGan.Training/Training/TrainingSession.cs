using System.Reflection;
using CrnnGan.Inference.Data;
using static TorchSharp.torch;

namespace CrnnGan.Training.Training;

/// <summary>
/// One training run from top to bottom, the way nanoGPT's train.py reads: start or resume, then epoch after
/// epoch (train, then a log line, samples when due and the checkpoint that makes the epoch count), until the
/// settings' last epoch. The resume rules live here and nowhere else:
/// <list type="bullet">
/// <item>a new run needs a folder without a checkpoint, so that nothing is overwritten by mistake;</item>
/// <item>a resumed run needs one, takes its settings from it, and may change only how long it trains, how it samples
/// and which checkpoints it keeps (<see cref="TrainingSettings.CanBeResumedAs"/>);</item>
/// <item>it continues from the checkpoint's epoch with the checkpoint's networks, optimisers and random state, and
/// its log loses the lines of epochs after that checkpoint (a run killed mid-epoch wrote none, or one that no
/// checkpoint backs).</item>
/// </list>
/// </summary>
public sealed class TrainingSession : IDisposable
{
    private TrainingSession(TrainingRun run, Trainer trainer, Corpus corpus, bool resumed, string dataDescription)
    {
        Run = run;
        Trainer = trainer;
        Corpus = corpus;
        Resumed = resumed;
        DataDescription = dataDescription;
    }

    public TrainingRun Run { get; }

    public Trainer Trainer { get; }

    public Corpus Corpus { get; }

    public bool Resumed { get; }

    public TrainingSettings Settings => Trainer.Settings;

    /// <summary>What the model card and the exported model say of the data: the folder's name and the split, not this machine's paths.</summary>
    public string DataDescription { get; }

    public bool Done => Trainer.EpochsDone >= Settings.Epochs;

    public static string CodeVersion { get; } =
        typeof(TrainingSession).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>
    /// Starts a run in <paramref name="folder"/>, or resumes the one there. <paramref name="settingsFor"/> gives the
    /// settings to train with from the saved run's (null for a new run), so that flags apply on top of either.
    /// </summary>
    /// <exception cref="ArgumentException">The settings are not valid, or a resume would change the run; the message says which.</exception>
    public static TrainingSession Start(
        string data,
        string folder,
        bool resume,
        Func<TrainingSettings?, TrainingSettings> settingsFor,
        Device device,
        IProgress<(int Done, int Total)>? reading = null
    )
    {
        var run = TrainingRun.Prepare(folder, resume);
        var saved = resume ? Checkpoint.ReadSettings(run.CheckpointPath) : null;
        var settings = settingsFor(saved);
        if (settings.Problems() is { Count: > 0 } problems)
            throw new ArgumentException($"The training settings are not valid: {string.Join("; ", problems)}.");
        if (saved is not null && !saved.CanBeResumedAs(settings))
            throw new ArgumentException(
                $"The checkpoint in {run.Folder} was trained with other settings: {string.Join("; ", saved.DifferencesFrom(settings))}. "
                    + "A resumed run may change only how long it trains, how it samples and which checkpoints it keeps; "
                    + "train in another folder to change the rest."
            );

        var corpus = TrainingRun.LoadCorpus(data, settings.Seed, settings.BatchSize, reading);
        var trainer = saved is null ? Trainer.Create(settings, device, corpus.Training) : Checkpoint.Load(run.CheckpointPath, device, settings);
        try
        {
            trainer.UseData(corpus.Training, corpus.Validation);
            if (saved is not null)
                run.Log.TruncateTo(trainer.EpochsDone);
            var split = CorpusSplit.Default(data, settings.Seed) switch
            {
                CorpusSplit.HoldOutLists l => $"hold-out lists {Path.GetFileName(l.ValidationList)} and {Path.GetFileName(l.TestList)}",
                var other => other.Describe(),
            };
            var folderName = Path.GetFileName(Path.GetFullPath(data).TrimEnd(Path.DirectorySeparatorChar));
            var description =
                $"{folderName}: {corpus.Training.Count} training songs, "
                + $"{corpus.Validation.Count} validation, {corpus.Test.Count} test ({split})";
            return new TrainingSession(run, trainer, corpus, saved is not null, description);
        }
        catch
        {
            trainer.Dispose();
            throw;
        }
    }

    /// <summary>One epoch: train, then its log line, its samples when due and its checkpoint.</summary>
    public EpochResult RunEpoch(IProgress<(int Done, int Total, LossSummary Losses)>? progress = null)
    {
        var result = Trainer.RunEpoch(progress);
        Run.Complete(Trainer, result, DataDescription, CodeVersion);
        return result;
    }

    public void Dispose() => Trainer.Dispose();
}
