using System.IO.Compression;
using CrnnGan.Inference.Features;
using CrnnGan.Inference.Generation;
using CrnnGan.Inference.Generation.Encodings;
using CrnnGan.TestSupport;
using CrnnGan.Training.Export;
using CrnnGan.Training.Model;
using CrnnGan.Training.Training;
using Onnx;
using static TorchSharp.torch;

namespace CrnnGan.Training.Tests.Export;

public sealed class ExportTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    /// <summary>
    /// A checkpoint of a briefly trained tiny generator: pretraining pulls its outputs towards real steps, so
    /// that they decode to notes whose agreement can be compared, and one adversarial epoch follows.
    /// </summary>
    private string TrainedCheckpoint(int tonesPerStep, string name = "checkpoint.zip", int pitchDivisor = 128)
    {
        var settings = new TrainingSettings
        {
            Model = new ModelSettings(TonesPerStep: tonesPerStep, HiddenSize: 24, Layers: 2, PitchDivisor: pitchDivisor),
            BatchSize = 8,
            SequenceLength = 16,
            PretrainingEpochs = 3,
            Epochs = 4,
            Optimizer = OptimizerKind.Adam,
            GeneratorLearningRate = 0.01,
            DiscriminatorLearningRate = 0.01,
            StatisticsSamples = 2,
            Seed = 5,
        };
        using var trainer = new Trainer(new PaperGan(settings, CPU));
        trainer.UseData(SyntheticSongs.Make(16), SyntheticSongs.Make(4, seed: 9));
        while (trainer.EpochsDone < settings.Epochs)
            trainer.RunEpoch();
        var path = Path.Combine(_folder.Path, name);
        Checkpoint.Save(trainer, path, "synthetic songs", "test-version");
        return path;
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 8)]
    [InlineData(3, 1)]
    [InlineData(3, 8)]
    public void The_onnx_step_computes_what_torchsharp_computes(int tonesPerStep, int batch)
    {
        var checkpoint = TrainedCheckpoint(tonesPerStep);
        using var trainer = Checkpoint.Load(checkpoint, CPU);
        var generator = ((PaperGan)trainer.Family).TypedGenerator;
        var metadata = new ModelMetadata(
            new ContinuousEncoding(trainer.Settings.Model.Layout, trainer.Settings.Model.FeatureScale),
            trainer.Settings.Model.Noise,
            24,
            2,
            "synthetic",
            4,
            5,
            "test"
        );

        var report = ParityCheck.Run(generator, OnnxExporter.Export(generator, metadata), batch, steps: 256, seed: 17);

        Assert.True(report.MaxStepDifference <= 1e-5, report.ToString());
        Assert.True(report.NoteAgreement >= 0.99, report.ToString());
        Assert.True(report.NotesCompared > 0, report.ToString());
    }

    [Fact]
    public void Parity_holds_for_a_network_whose_cell_state_grows_far_beyond_one()
    {
        var settings = new ModelSettings(TonesPerStep: 1, HiddenSize: 24, Layers: 2);
        using var generator = new CrnnGan.Training.Model.Generator(settings);
        using (no_grad())
        {
            // Input, forget and output gates open and a candidate of +1: each cell adds about 1 per step.
            foreach (var (name, parameter) in generator.named_parameters())
            {
                if (name.EndsWith("bias_ih", StringComparison.Ordinal))
                    parameter.fill_(10);
            }
        }
        var metadata = SyntheticMetadata(settings);

        var report = ParityCheck.Run(generator, OnnxExporter.Export(generator, metadata), batch: 4, steps: 256, seed: 3);

        Assert.True(report.Passed, report.ToString());
        var state = generator.ZeroState(1, CPU);
        var previous = zeros(1, settings.Features);
        for (var t = 0; t < 256; t++)
            (previous, state) = generator.Step(rand(1, settings.Noise), previous, state);
        Assert.True(state[^1].C.abs().max().item<float>() > 100);
    }

    [Fact]
    public void Parity_holds_for_a_chaotic_network_whose_free_runs_part_ways()
    {
        var settings = new ModelSettings(TonesPerStep: 1, HiddenSize: 24, Layers: 2);
        using var generator = new CrnnGan.Training.Model.Generator(settings);
        using (no_grad())
        {
            // LSTM layers with a large gain are chaotic: float rounding differences grow step by step. The input
            // and output layers keep a small gain, so that single steps stay well within the step tolerance.
            var weights = new TorchSharp.torch.Generator(11);
            foreach (var (name, parameter) in generator.named_parameters())
                parameter.copy_((rand(parameter.shape, generator: weights) * 2 - 1) * (name.StartsWith("lstm", StringComparison.Ordinal) ? 3 : 0.2));
        }
        var metadata = SyntheticMetadata(settings);
        var onnx = OnnxExporter.Export(generator, metadata);

        var report = ParityCheck.Run(generator, onnx, batch: 4, steps: 256, seed: 3);

        Assert.True(report.Passed, report.ToString());
        var pitches = FreeRun(generator, perturbation: 0);
        Assert.True(pitches.Length > 20, $"{pitches.Length} notes");
        Assert.NotEqual(pitches, FreeRun(generator, perturbation: 1e-6f));
    }

    /// <summary>The pitches of a free run from fixed noise, with the first input nudged by the perturbation.</summary>
    private static int[] FreeRun(CrnnGan.Training.Model.Generator generator, float perturbation)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        generator.eval();
        var settings = generator.Settings;
        var noise = rand([1, 256, settings.Noise], generator: new TorchSharp.torch.Generator(5));
        var first = full(1, settings.Features, 0.5f + perturbation);
        var steps = generator.call(noise, first).data<float>().ToArray();
        return [.. StepEncoder.DecodeModelSteps(steps, 1, settings.Layout, settings.FeatureScale)[0].Select(t => t.Pitch)];
    }

    [Fact]
    public void The_exported_file_describes_itself()
    {
        var checkpoint = TrainedCheckpoint(3);
        var output = Path.Combine(_folder.Path, "model.onnx");

        var (_, parity, _) = ModelExport.Run(checkpoint, output);

        Assert.All(parity, p => Assert.True(p.Passed, p.ToString()));
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(output));
        Assert.Equal(17, model.OpsetImport.Single().Version);
        Assert.Equal([ModelContract.Noise, ModelContract.Previous, ModelContract.Hidden, ModelContract.Cell], model.Graph.Input.Select(i => i.Name));
        Assert.Equal([ModelContract.Output, ModelContract.HiddenOut, ModelContract.CellOut], model.Graph.Output.Select(o => o.Name));
        var previous = model.Graph.Input[1].Type.TensorType.Shape.Dim;
        Assert.Equal(ModelContract.Batch, previous[0].DimParam);
        Assert.Equal(10, previous[1].DimValue);
        var hidden = model.Graph.Input[2].Type.TensorType.Shape.Dim;
        Assert.Equal([2L, 0L, 24L], hidden.Select(d => d.DimValue));
        Assert.Equal(ModelContract.Batch, hidden[1].DimParam);
        Assert.DoesNotContain(model.Graph.Node, n => n.OpType is "Dropout" or "Loop" or "Scan" or "RandomUniform");

        var properties = model.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(ContinuousEncoding.Keys.Concat(ModelMetadata.CommonKeys).Order(), properties.Keys.Order());
        var metadata = ModelMetadata.Parse(properties);
        Assert.Equal(
            (3, 10, 10, 24, 2, 4, 5UL),
            (
                metadata.Paper().TonesPerStep,
                metadata.Features,
                metadata.NoiseSize,
                metadata.HiddenSize,
                metadata.Layers,
                metadata.Epochs,
                metadata.Seed
            )
        );
        Assert.Equal("test-version", metadata.CodeVersion);
        Assert.Equal("synthetic songs", metadata.TrainingCorpus);
        Assert.Equal([1f, 1, 1 / 128f, 1 / 128f, 1, 1 / 128f, 1 / 128f, 1, 1 / 128f, 1 / 128f], metadata.Paper().FeatureScale);
        Assert.Equal([output], Directory.GetFiles(_folder.Path, "model.onnx*"));
    }

    [Fact]
    public void A_model_trained_at_another_pitch_scale_says_so_and_generates_in_its_own_scale()
    {
        var checkpoint = TrainedCheckpoint(1, pitchDivisor: 16);
        var output = Path.Combine(_folder.Path, "model.onnx");

        var (metadata, parity, _) = ModelExport.Run(checkpoint, output);
        using var session = GeneratorSession.Open(output, new GeneratorSessionOptions(ExecutionProvider.Cpu));
        var pitches = new SongGenerator(session)
            .Generate(
                new GenerationRequest
                {
                    Count = 4,
                    Steps = 64,
                    Seed = 1,
                }
            )
            .SelectMany(s => s.Song.Tones)
            .Select(t => t.Pitch)
            .Order()
            .ToList();

        Assert.All(parity, p => Assert.True(p.Passed, p.ToString()));
        Assert.Equal(1 / 16f, metadata.Paper().FeatureScale[2]);
        // The synthetic songs lie between MIDI 36 and 71, and a briefly trained model lands near them; read at the
        // default ÷ 128, the same outputs would be 8 times higher, all at MIDI's ceiling of 127.
        Assert.InRange(pitches[pitches.Count / 2], 12, 96);
    }

    [Fact]
    public void A_missing_or_corrupt_checkpoint_leaves_no_file_at_the_output_path()
    {
        var output = Path.Combine(_folder.Path, "model.onnx");
        var corrupt = _folder.Write("corrupt.zip", "not a zip"u8.ToArray());

        var missing = Assert.Throws<CheckpointException>(() => ModelExport.Run(Path.Combine(_folder.Path, "none.zip"), output));
        var broken = Assert.Throws<CheckpointException>(() => ModelExport.Run(corrupt, output));

        Assert.Contains("no checkpoint", missing.Message, StringComparison.Ordinal);
        Assert.Contains("corrupt or incomplete", broken.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_folder.Path, "model.onnx*"));
    }

    [Fact]
    public void A_checkpoint_whose_weights_are_of_another_configuration_is_refused()
    {
        var checkpoint = TrainedCheckpoint(1);
        var other = TrainedCheckpoint(3, "other.zip");
        // Graft the 3-tone generator's weights into the 1-tone checkpoint.
        using (var zip = ZipFile.Open(checkpoint, ZipArchiveMode.Update))
        using (var source = ZipFile.OpenRead(other))
        {
            zip.GetEntry("generator.bin")!.Delete();
            using var from = source.GetEntry("generator.bin")!.Open();
            using var to = zip.CreateEntry("generator.bin").Open();
            from.CopyTo(to);
        }
        var output = Path.Combine(_folder.Path, "model.onnx");

        var error = Assert.Throws<CheckpointException>(() => ModelExport.Run(checkpoint, output));

        Assert.Contains("corrupt or incomplete", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void An_unwritable_output_path_is_refused_and_nothing_is_left()
    {
        var checkpoint = TrainedCheckpoint(1);
        var file = _folder.Write("a-file", []);

        var error = Assert.Throws<IOException>(() => ModelExport.Run(checkpoint, Path.Combine(file, "model.onnx")));

        Assert.Contains("Cannot write", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();

    /// <summary>The metadata of an untrained generator of the paper's family with <paramref name="settings"/>, hidden 24 × 2.</summary>
    private static ModelMetadata SyntheticMetadata(ModelSettings settings) =>
        new(new ContinuousEncoding(settings.Layout, settings.FeatureScale), settings.Noise, 24, 2, "synthetic", 0, 0, "test");
}
