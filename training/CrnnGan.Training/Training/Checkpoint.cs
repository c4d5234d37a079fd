using System.IO.Compression;
using System.Text.Json;
using CrnnGan.Inference.Randomness;
using CrnnGan.Inference.Storage;
using static TorchSharp.torch;

namespace CrnnGan.Training.Training;

/// <summary>Facts about a run that a checkpoint carries beside the weights, for resuming and for the model card.</summary>
public sealed record CheckpointInfo(int EpochsDone, IReadOnlyList<ulong> DataRandomState, string Data, string CodeVersion);

/// <summary>Something wrong with a checkpoint file, said in one line.</summary>
public sealed class CheckpointException(string message, Exception? inner = null) : IOException(message, inner);

/// <summary>
/// A whole training state in one zip file: settings, networks, optimisers, random generators and epochs done.
/// It is written to a temporary file and renamed into place, so a crash at any moment leaves the previous
/// checkpoint or the new one, never a mixture.
/// </summary>
public static class Checkpoint
{
    public const string FileName = "checkpoint.zip";

    /// <summary>The generator's weights in a checkpoint, which a run may start from (<see cref="TrainingSettings.GeneratorFrom"/>).</summary>
    public const string GeneratorEntry = "generator.bin";

    public static void Save(Trainer trainer, string path, string data, string codeVersion)
    {
        AtomicFile.Write(
            path,
            temporary =>
            {
                using var zip = ZipFile.Open(temporary, ZipArchiveMode.Create);
                Write(zip, "settings.json", s => JsonSerializer.Serialize(s, trainer.Settings, TrainingSettings.Json));
                Write(
                    zip,
                    "info.json",
                    s =>
                        JsonSerializer.Serialize(
                            s,
                            new CheckpointInfo(trainer.EpochsDone, trainer.DataRandom.State, data, codeVersion),
                            TrainingSettings.Json
                        )
                );
                trainer.Family.Save((name, write) => Write(zip, name, write));
                Write(zip, GeneratorEntry, s => trainer.Generator.save(s));
                Write(zip, "discriminator.bin", s => trainer.Discriminator.save(s));
                Write(
                    zip,
                    "generator_optimizer.bin",
                    s => trainer.GeneratorOptimizer.save_state_dict(new BinaryWriter(s, System.Text.Encoding.UTF8, leaveOpen: true))
                );
                Write(
                    zip,
                    "discriminator_optimizer.bin",
                    s => trainer.DiscriminatorOptimizer.save_state_dict(new BinaryWriter(s, System.Text.Encoding.UTF8, leaveOpen: true))
                );
                Write(zip, "torch_random.bin", s => s.Write(get_rng_state().data<byte>().ToArray()));
            }
        );
    }

    /// <summary>The settings a checkpoint was trained with, read without loading its weights.</summary>
    public static TrainingSettings ReadSettings(string path) =>
        Open(path, zip => Read(zip, "settings.json", s => JsonSerializer.Deserialize<TrainingSettings>(s, TrainingSettings.Json)!));

    public static CheckpointInfo ReadInfo(string path) =>
        Open(path, zip => Read(zip, "info.json", s => JsonSerializer.Deserialize<CheckpointInfo>(s, TrainingSettings.Json)!));

    /// <summary>
    /// A trainer in the state the checkpoint saved, ready to run its next epoch; with <paramref name="resumeAs"/>,
    /// under those settings, which <see cref="TrainingSession"/> has checked against the saved ones.
    /// </summary>
    public static Trainer Load(string path, Device device, TrainingSettings? resumeAs = null) =>
        Open(
            path,
            zip =>
            {
                var settings = resumeAs ?? Read(zip, "settings.json", s => JsonSerializer.Deserialize<TrainingSettings>(s, TrainingSettings.Json)!);
                var info = Read(zip, "info.json", s => JsonSerializer.Deserialize<CheckpointInfo>(s, TrainingSettings.Json)!);
                var trainer = new Trainer(GanFamily.Read(settings, device, zip));
                try
                {
                    Read(zip, GeneratorEntry, s => trainer.Generator.load(s, strict: true));
                    Read(zip, "discriminator.bin", s => trainer.Discriminator.load(s, strict: true));
                    Read(
                        zip,
                        "generator_optimizer.bin",
                        s =>
                        {
                            trainer.GeneratorOptimizer.load_state_dict(new BinaryReader(s));
                            return 0;
                        }
                    );
                    Read(
                        zip,
                        "discriminator_optimizer.bin",
                        s =>
                        {
                            trainer.DiscriminatorOptimizer.load_state_dict(new BinaryReader(s));
                            return 0;
                        }
                    );
                    var torchRandom = Read(
                        zip,
                        "torch_random.bin",
                        s =>
                        {
                            using var bytes = new MemoryStream();
                            s.CopyTo(bytes);
                            return bytes.ToArray();
                        }
                    );
                    set_rng_state(tensor(torchRandom, ScalarType.Byte));
                    trainer.Restore(info.EpochsDone, new SeededRandom(info.DataRandomState));
                    return trainer;
                }
                catch
                {
                    trainer.Dispose();
                    throw;
                }
            }
        );

    /// <summary>One entry of the checkpoint at <paramref name="path"/>, read without loading the rest.</summary>
    public static T Read<T>(string path, string entry, Func<Stream, T> read) => Open(path, zip => Read(zip, entry, read));

    private static T Open<T>(string path, Func<ZipArchive, T> read)
    {
        if (!File.Exists(path))
            throw new CheckpointException($"There is no checkpoint at {path}.");
        try
        {
            using var zip = ZipFile.OpenRead(path);
            return read(zip);
        }
        catch (Exception e) when (e is not CheckpointException)
        {
            throw new CheckpointException($"The checkpoint {path} is corrupt or incomplete: {e.Message}", e);
        }
    }

    private static void Write(ZipArchive zip, string name, Action<Stream> write)
    {
        // TorchSharp's writers may seek and close the stream, which zip entries do not allow: write to
        // memory first (a closed MemoryStream still gives its bytes).
        var buffer = new MemoryStream();
        write(buffer);
        using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        stream.Write(buffer.ToArray());
    }

    /// <summary>One entry of an open checkpoint.</summary>
    internal static T Read<T>(ZipArchive zip, string name, Func<Stream, T> read)
    {
        var entry = zip.GetEntry(name) ?? throw new InvalidDataException($"it has no {name}");
        using var stream = entry.Open();
        // TorchSharp's readers seek, which zip entries cannot.
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        buffer.Position = 0;
        return read(buffer);
    }
}
