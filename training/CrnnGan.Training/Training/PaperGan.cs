using System.IO.Compression;
using TorchSharp;
using static TorchSharp.torch;
using Generator = CrnnGan.Training.Model.Generator;

namespace CrnnGan.Training.Training;

/// <summary>
/// The paper's C-RNN-GAN: continuous steps, maximum-likelihood pretraining of the generator with teacher forcing
/// (mean squared error), then the game with the paper's losses, the windows growing by the curriculum.
/// </summary>
public sealed class PaperGan : GanFamily
{
    /// <summary>Seeds LibTorch's process-wide random state, then makes the networks from it: each run's weights are its seed's.</summary>
    public PaperGan(TrainingSettings settings, Device device)
        : base(settings, device)
    {
        random.manual_seed((long)settings.Seed);
        TypedGenerator = new Generator(settings.Model);
        TypedDiscriminator = new Discriminator(settings.Model);
        TypedGenerator.to(device);
        TypedDiscriminator.to(device);
    }

    internal static GanFamily Start(TrainingSettings settings, Device device, IReadOnlyList<Song> training) => new PaperGan(settings, device);

    internal static GanFamily FromCheckpoint(TrainingSettings settings, Device device, ZipArchive checkpoint) => new PaperGan(settings, device);

    /// <summary>The generator with its own type, for export and benchmarks.</summary>
    public Generator TypedGenerator { get; }

    public Discriminator TypedDiscriminator { get; }

    public override nn.Module Generator => TypedGenerator;

    public override nn.Module Discriminator => TypedDiscriminator;

    private ModelSettings Model => Settings.Model;

    public override IWindows Windows(IReadOnlyList<Song> songs, bool training) => new SongWindows(songs, Model);

    public override int WindowLength(int epoch) => Settings.SequenceLengthAt(epoch);

    public override string TooFew(IWindows windows) => $"{windows.Count} training songs do not fill one batch of {Settings.BatchSize}.";

    public override Tensor PretrainingLoss(Tensor real)
    {
        var (noise, first) = Noise(real.shape[0], real.shape[1]);
        return Losses.Pretraining(TypedGenerator.PredictNext(noise, real, first), real);
    }

    public override (GameLoss Game, double? Likelihood) GameLosses(Tensor real, int epoch)
    {
        var (noise, first) = Noise(real.shape[0], real.shape[1]);
        var generated = TypedGenerator.call(noise, first);
        if (Settings.RoundGeneratedPitch)
            generated = RoundPitch(generated, Model);

        return (Game.Play(TypedDiscriminator.Features, TypedDiscriminator.Logits, real, generated, Settings.GeneratorLoss), null);
    }

    /// <summary>Pitches rounded to semitones going forward, unchanged going back (straight through).</summary>
    public static Tensor RoundPitch(Tensor generated, ModelSettings model)
    {
        var pitch = Enumerable.Range(0, model.TonesPerStep).Select(StepLayout.PitchIndex).ToArray();
        var semitone = tensor(model.FeatureScale, device: generated.device);
        var isPitch = tensor([.. Enumerable.Range(0, model.Features).Select(pitch.Contains)], device: generated.device);
        var rounded = where(isPitch, (generated / semitone).round() * semitone, generated);
        return generated + (rounded - generated).detach();
    }

    /// <summary>The pretraining loss; after pretraining, the game's on songs the generator makes from the same noise.</summary>
    public override LossSummary ValidationLosses(Tensor real, bool pretraining, int epoch, torch.Generator source)
    {
        var (noise, first) = Noise(real.shape[0], real.shape[1], source);
        var pretrainingLoss = Losses.Pretraining(TypedGenerator.PredictNext(noise, real, first), real).item<float>();
        if (pretraining)
            return new LossSummary(pretrainingLoss, null, null, null);
        var generatedFeatures = TypedDiscriminator.Features(TypedGenerator.call(noise, first));
        var realFeatures = TypedDiscriminator.Features(real);
        return Game.Losses(TypedDiscriminator.Logits, realFeatures, generatedFeatures, generatedFeatures, Settings.GeneratorLoss)
            .Summary(pretrainingLoss);
    }

    public override IReadOnlyList<IReadOnlyList<Tone>> Sample(int count, ulong seed)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Generator.eval();
        var (noise, first) = Noise(count, Settings.SequenceLength, new torch.Generator(seed, Device));
        var steps = TypedGenerator.call(noise, first).cpu().data<float>().ToArray();
        return StepEncoder.DecodeModelSteps(steps, count, Model.Layout, Model.FeatureScale);
    }

    public override SongEncoding Encoding(float defaultTemperature, float lengthTemperature) =>
        new ContinuousEncoding(Model.Layout, Model.FeatureScale);

    public override byte[] Export(ModelMetadata metadata) => OnnxExporter.Export(TypedGenerator, metadata);

    public override ParityReport Parity(byte[] onnx, int batch, int steps, ulong seed) => ParityCheck.Run(TypedGenerator, onnx, batch, steps, seed);

    /// <summary>z ~ U[0,1) for every step, and the uniform random "previous output" before the first step.</summary>
    private (Tensor Noise, Tensor First) Noise(long batch, long steps, torch.Generator? source = null) =>
        (rand([batch, steps, Model.Noise], generator: source, device: Device), rand([batch, Model.Features], generator: source, device: Device));
}
