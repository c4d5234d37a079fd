using CrnnGan.TestSupport;
using CrnnGan.Training.Export;
using CrnnGan.Training.Model;
using Onnx;

namespace CrnnGan.Training.Tests.Export;

/// <summary>An exported tone model's weights back into a generator, so that training can start from a model.</summary>
public sealed class OnnxImportTests
{
    [Fact]
    public void The_version_4_baseline_imported_and_exported_again_has_the_same_weights_under_the_same_names()
    {
        var onnx = Repository.ModelBytes("crnngan-meter-baseline.onnx");
        var metadata = OnnxImport.Metadata(onnx);
        var settings = new ModelSettings(
            HiddenSize: 350,
            Layers: 2,
            NoiseSize: 4,
            Dropout: 0.1,
            Family: ModelFamily.Tones,
            LengthGivenTime: 128,
            BarPosition: true
        );
        using var generator = new ToneGenerator(settings, metadata.Tones().Vocabulary.Sizes);

        OnnxImport.LoadWeights(onnx, generator);

        // The exporter has since written the input layer's step in fewer nodes (the graph the fixtures below compare); the weights
        // it reads are the same.
        Assert.Equal(Weights(onnx), Weights(OnnxExporter.Export(generator, metadata)));

        static Dictionary<string, string> Weights(byte[] model) =>
            ModelProto
                .Parser.ParseFrom(model)
                .Graph.Initializer.Where(t => t.DataType == (int)TensorProto.Types.DataType.Float && t.Dims.Count == 2)
                .ToDictionary(t => t.Name, t => Convert.ToBase64String(t.RawData.Span));
    }

    [Fact]
    public void A_model_that_looks_back_imported_and_exported_again_is_the_same_graph_and_a_shorter_lookback_is_refused()
    {
        var onnx = File.ReadAllBytes(Repository.Fixture("generator-tones-lookback.onnx"));
        var metadata = OnnxImport.Metadata(onnx);
        var settings = new ModelSettings(
            HiddenSize: 16,
            Layers: 2,
            NoiseSize: 4,
            Family: ModelFamily.Tones,
            EmbeddingSize: 4,
            LengthGivenTime: 4,
            BarPosition: true,
            LookbackBars: 2
        );
        using var generator = new ToneGenerator(settings, metadata.Tones().Vocabulary.Sizes);
        using var shorter = new ToneGenerator(settings with { LookbackBars = 1 }, metadata.Tones().Vocabulary.Sizes);

        OnnxImport.LoadWeights(onnx, generator);

        Assert.Equal(ModelProto.Parser.ParseFrom(onnx).Graph, ModelProto.Parser.ParseFrom(OnnxExporter.Export(generator, metadata)).Graph);
        Assert.Contains("looks back 2 bars", Assert.Throws<InvalidDataException>(() => OnnxImport.LoadWeights(onnx, shorter)).Message);
    }

    [Fact]
    public void Other_model_settings_an_int8_model_the_papers_model_a_length_given_time_and_the_bars_place_are_refused_by_name()
    {
        var onnx = Repository.ModelBytes("crnngan-meter-baseline.onnx");
        using var wider = new ToneGenerator(
            new ModelSettings(HiddenSize: 360, Layers: 2, NoiseSize: 4, Family: ModelFamily.Tones, LengthGivenTime: 128, BarPosition: true),
            OnnxImport.Encoding(onnx).Vocabulary.Sizes
        );
        using var withoutBar = new ToneGenerator(
            new ModelSettings(HiddenSize: 350, Layers: 2, NoiseSize: 4, Family: ModelFamily.Tones, LengthGivenTime: 128),
            OnnxImport.Encoding(onnx).Vocabulary.Sizes
        );

        var shape = Assert.Throws<InvalidDataException>(() => OnnxImport.LoadWeights(onnx, wider));
        var noBar = Assert.Throws<InvalidDataException>(() => OnnxImport.LoadWeights(onnx, withoutBar));
        var int8 = Assert.Throws<InvalidDataException>(() => OnnxImport.Metadata(Repository.ModelBytes("crnngan-int8.onnx")));
        var paper = Assert.Throws<InvalidDataException>(() => OnnxImport.Metadata(Repository.ModelBytes("paper-crnngan.onnx")));
        var timed = File.ReadAllBytes(Repository.Fixture("generator-tones-timed.onnx"));
        using var apart = new ToneGenerator(
            new ModelSettings(HiddenSize: 16, Layers: 2, NoiseSize: 4, Family: ModelFamily.Tones, EmbeddingSize: 4),
            OnnxImport.Encoding(timed).Vocabulary.Sizes
        );
        var noTime = Assert.Throws<InvalidDataException>(() => OnnxImport.LoadWeights(timed, apart));

        Assert.Contains("other model settings", shape.Message, StringComparison.Ordinal);
        Assert.Contains("fp32", int8.Message, StringComparison.Ordinal);
        Assert.Contains("tone model", paper.Message, StringComparison.Ordinal);
        Assert.Contains("length_given_time", noTime.Message, StringComparison.Ordinal);
        Assert.Contains("bar_position", noBar.Message, StringComparison.Ordinal);
    }
}
