using CrnnGan.Inference.Features;
using CrnnGan.Inference.Generation;
using CrnnGan.Inference.Generation.Encodings;
using CrnnGan.Inference.Music;
using CrnnGan.Inference.Randomness;
using CrnnGan.TestSupport;
using CrnnGan.Training.Export;
using CrnnGan.Training.Model;
using TorchSharp;
using static TorchSharp.torch;
using Generator = CrnnGan.Training.Model.Generator;

namespace CrnnGan.Training.Tests.Export;

/// <summary>
/// The small generators in tests/fixtures, which the inference tests run without TorchSharp, are exactly what
/// the exporter makes of seeded, untrained networks whose output bias is a typical step. Set CRNNGAN_WRITE_FIXTURES=1 to write them anew after a
/// change to the exporter or the networks.
/// </summary>
public sealed class FixtureModelTests
{
    public static TheoryData<string, int> Fixtures => new() { { "generator-k1.onnx", 1 }, { "generator-k3.onnx", 3 } };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void The_fixture_models_are_what_the_exporter_makes(string file, int tonesPerStep)
    {
        using var generator = new Generator(new ModelSettings(TonesPerStep: tonesPerStep, HiddenSize: 16, Layers: 2));
        Initialise(generator, 20161128UL + (ulong)tonesPerStep);
        var settings = generator.Settings;
        // Untrained outputs hover around 0, where no tone sounds: bias them to a typical step (a quarter note
        // apart, half a quarter long, pitch 64, velocity 80) so that the fixtures make notes to test with.
        using (no_grad())
        {
            float[] typical = [0.25f, .. Enumerable.Repeat<float[]>([0.5f, 64 / 128f, 80 / 128f], tonesPerStep).SelectMany(t => t)];
            generator.named_parameters().Single(p => p.name == "output.bias").parameter.copy_(tensor(typical));
        }
        var metadata = new ModelMetadata(
            new ContinuousEncoding(settings.Layout, settings.FeatureScale),
            settings.Noise,
            settings.HiddenSize,
            settings.Layers,
            "none: seeded random initialisation",
            0,
            20161128,
            "fixture"
        );
        var exported = OnnxExporter.Export(generator, metadata);
        var path = Repository.Fixture(file);
        AssertFixture(path, exported);
    }

    /// <summary>
    /// The tone family's fixtures: bins of a few values, pitch logits that favour C major between C3 and C6; the second's
    /// length head reads the drawn time (contract version 3); the third's also reads where each tone falls in the bar
    /// (contract version 4); the fourth's also looks back two bars (contract version 5); the fifth's pitch head also reads
    /// the drawn time (contract version 7); the sixth is the fifth's network whose step draws the time (contract version 8); the
    /// seventh is the sixth's, its noise drawn once a song (contract version 9).
    /// </summary>
    [Theory]
    [InlineData("generator-tones.onnx", 0, false, 0)]
    [InlineData("generator-tones-timed.onnx", 4, false, 0)]
    [InlineData("generator-tones-bar.onnx", 4, true, 0)]
    [InlineData("generator-tones-lookback.onnx", 4, true, 2)]
    [InlineData("generator-tones-pitched.onnx", 4, true, 2, 4)]
    [InlineData("generator-tones-drawn.onnx", 4, true, 2, 4, true)]
    [InlineData("generator-tones-song-noise.onnx", 4, true, 2, 4, true, true)]
    public void The_tone_fixture_models_are_what_the_exporter_makes(
        string file,
        int lengthGivenTime,
        bool barPosition,
        int lookbackBars,
        int pitchGivenTime = 0,
        bool timeInStep = false,
        bool songNoise = false
    )
    {
        var vocabulary = new ToneVocabulary([0, 0.25, 0.5, 1], [0.25, 0.5, 1], [64, 80, 100]);
        var model = new ModelSettings(
            HiddenSize: 16,
            Layers: 2,
            NoiseSize: 4,
            Family: ModelFamily.Tones,
            EmbeddingSize: 4,
            LengthGivenTime: lengthGivenTime,
            BarPosition: barPosition,
            LookbackBars: lookbackBars,
            PitchGivenTime: pitchGivenTime
        );
        using var generator = new ToneGenerator(model, vocabulary.Sizes, vocabulary.TimeSteps);
        Initialise(generator, 20161128);
        using (no_grad())
        {
            float[] pitch = [.. Enumerable.Range(0, 128).Select(p => p is >= 48 and <= 84 && new Scale(0, ScaleKind.Major).Contains(p) ? 3f : -3f)];
            generator.named_parameters().Single(p => p.name == "heads.0.bias").parameter.copy_(tensor(pitch));
        }
        var s = generator.Settings;
        var metadata = new ModelMetadata(
            new ToneEncoding(
                vocabulary,
                generator.LengthGivenTime,
                BarPosition: generator.BarPosition,
                LookbackBars: lookbackBars,
                PitchGivenTime: generator.PitchGivenTime,
                TimeInStep: timeInStep,
                SongNoise: songNoise
            ),
            s.Noise,
            s.HiddenSize,
            s.Layers,
            "none: seeded random initialisation",
            0,
            20161128,
            "fixture"
        );
        AssertFixture(Repository.Fixture(file), OnnxExporter.Export(generator, metadata));
    }

    /// <summary>
    /// Every weight uniform on ±1/4 from the project's own generator: LibTorch's initialisation draws its numbers with
    /// kernels chosen per processor (ATEN_CPU_CAPABILITY=default gave other bits than avx2 and avx512), and a fixture must
    /// come out the same on every machine.
    /// </summary>
    private static void Initialise(nn.Module module, ulong seed)
    {
        var random = new SeededRandom(seed);
        using var noGrad = no_grad();
        foreach (var (_, parameter) in module.named_parameters().OrderBy(p => p.name, StringComparer.Ordinal))
        {
            var values = new float[parameter.numel()];
            random.Fill(values);
            parameter.copy_(tensor([.. values.Select(v => (v - 0.5f) / 2)]).reshape(parameter.shape));
        }
    }

    private static void AssertFixture(string path, byte[] exported)
    {
        if (Environment.GetEnvironmentVariable("CRNNGAN_WRITE_FIXTURES") == "1")
            File.WriteAllBytes(path, exported);

        Assert.True(File.Exists(path), $"{path} is missing: run the tests with CRNNGAN_WRITE_FIXTURES=1.");
        Assert.True(File.ReadAllBytes(path).SequenceEqual(exported), $"{path} is out of date: run the tests with CRNNGAN_WRITE_FIXTURES=1.");
    }
}
