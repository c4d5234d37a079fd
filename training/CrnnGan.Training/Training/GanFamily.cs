using System.IO.Compression;
using TorchSharp;
using static TorchSharp.torch;

namespace CrnnGan.Training.Training;

/// <summary>
/// What one model family brings to the <see cref="Trainer"/>'s loop: its generator and discriminator, its training
/// windows, its losses (the likelihood of real songs, one batch of the game, validation), its samples, what its
/// checkpoint holds besides the networks, and its export. The settings' family chooses the part once, in
/// <see cref="New"/> and <see cref="Read"/>; the loop, checkpoints and export never ask which family it is.
/// </summary>
public abstract class GanFamily(TrainingSettings settings, Device device) : IDisposable
{
    public TrainingSettings Settings { get; } = settings;

    public Device Device { get; } = device;

    public abstract nn.Module Generator { get; }

    public abstract nn.Module Discriminator { get; }

    /// <summary>
    /// Whether the generator's parameter <paramref name="name"/> is a table that starts at 0, so that a generator started
    /// from a model without it computes what that model does; it learns at <see cref="TrainingSettings.TableLearningRateFactor"/>.
    /// </summary>
    public virtual bool StartsAtZero(string name) => false;

    /// <summary>
    /// The family of a new run: a tone model chooses its bins from <paramref name="training"/>, or starts from
    /// <see cref="TrainingSettings.GeneratorFrom"/>.
    /// </summary>
    public static GanFamily New(TrainingSettings settings, Device device, IReadOnlyList<Song> training) =>
        Of(settings).Start(settings, device, training);

    /// <summary>A saved run's family, its own entries read from <paramref name="checkpoint"/> (the networks are the trainer's to load).</summary>
    internal static GanFamily Read(TrainingSettings settings, Device device, ZipArchive checkpoint) =>
        Of(settings).FromCheckpoint(settings, device, checkpoint);

    /// <summary>The one place in training that tells the families apart.</summary>
    private static (
        Func<TrainingSettings, Device, IReadOnlyList<Song>, GanFamily> Start,
        Func<TrainingSettings, Device, ZipArchive, GanFamily> FromCheckpoint
    ) Of(TrainingSettings settings) =>
        settings.Model.Family == ModelFamily.Tones ? (ToneGan.Start, ToneGan.FromCheckpoint) : (PaperGan.Start, PaperGan.FromCheckpoint);

    /// <summary>Checkpoint entries of the family's own, beside the networks: each written by name.</summary>
    internal virtual void Save(Action<string, Action<Stream>> write) { }

    /// <summary>Songs cut into this family's training windows.</summary>
    public abstract IWindows Windows(IReadOnlyList<Song> songs, bool training);

    /// <summary>How long the windows of epoch <paramref name="epoch"/> (from 0) are.</summary>
    public abstract int WindowLength(int epoch);

    /// <summary>Why <paramref name="windows"/> cannot train, when they do not fill one batch.</summary>
    public abstract string TooFew(IWindows windows);

    /// <summary>Maximum likelihood with teacher forcing: the loss of predicting each real step from the one before it.</summary>
    public abstract Tensor PretrainingLoss(Tensor real);

    /// <summary>One batch of the game: its losses and, where the family adds a likelihood term, that term's value.</summary>
    public abstract (GameLoss Game, double? Likelihood) GameLosses(Tensor real, int epoch);

    /// <summary>The losses on a batch of validation windows, without dropout or learning, with noise from <paramref name="source"/>.</summary>
    public abstract LossSummary ValidationLosses(Tensor real, bool pretraining, int epoch, torch.Generator source);

    /// <summary>Songs of the settings' sequence length from fixed noise, without dropout, decoded to tones.</summary>
    public abstract IReadOnlyList<IReadOnlyList<Tone>> Sample(int count, ulong seed);

    /// <summary>A line about the family's choices for a run's start (the tone family's bins), or null.</summary>
    public virtual string? Describe(IReadOnlyList<Song> training) => null;

    /// <summary>The exported model's encoding, with the sampling defaults a consumer uses where a request names none.</summary>
    public abstract SongEncoding Encoding(float defaultTemperature, float lengthTemperature);

    /// <summary>The generator as one ONNX step (<see cref="OnnxExporter"/>).</summary>
    public abstract byte[] Export(ModelMetadata metadata);

    /// <summary>Whether <paramref name="onnx"/> computes what the generator computes (<see cref="ParityCheck"/>).</summary>
    public abstract ParityReport Parity(byte[] onnx, int batch, int steps, ulong seed);

    public void Dispose()
    {
        Generator.Dispose();
        Discriminator.Dispose();
        GC.SuppressFinalize(this);
    }
}
