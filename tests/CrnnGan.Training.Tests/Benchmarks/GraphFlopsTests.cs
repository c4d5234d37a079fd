using CrnnGan.Inference.Features;
using CrnnGan.Inference.Generation;
using CrnnGan.TestSupport;
using CrnnGan.Training.Benchmarks;
using CrnnGan.Training.Model;

namespace CrnnGan.Training.Tests.Benchmarks;

/// <summary>The FLOPs the benchmark counts from a graph are the ones its products compute.</summary>
public sealed class GraphFlopsTests
{
    [Fact]
    public void A_paper_generators_step_counts_its_input_layer_lstm_cells_and_output_layer()
    {
        using var session = GeneratorSession.Open(Repository.Fixture("generator-k3.onnx"));
        var m = session.Metadata;
        var (h, features) = ((double)m.HiddenSize, (double)m.Features);

        var expected = 2 * ((m.NoiseSize + features) * h + m.Layers * 2 * h * 4 * h + h * features);

        Assert.Equal(expected, GraphFlops.PerStep(File.ReadAllBytes(Repository.Fixture("generator-k3.onnx"))));
    }

    [Fact]
    public void A_tone_generator_with_a_timed_length_head_counts_that_head_over_every_time_class()
    {
        var untimed = GraphFlops.PerStep(File.ReadAllBytes(Repository.Fixture("generator-tones.onnx")));
        var timed = GraphFlops.PerStep(File.ReadAllBytes(Repository.Fixture("generator-tones-timed.onnx")));
        using var session = GeneratorSession.Open(Repository.Fixture("generator-tones-timed.onnx"));
        var tones = session.Metadata.EncodingAs<Inference.Generation.Encodings.ToneEncoding>("the test");

        Assert.True(timed > untimed, $"timed {timed}, untimed {untimed}");
        // The timed head's products grow with the time classes: at least one multiply-add per time class and length class.
        Assert.True(timed - untimed >= 2.0 * tones.Vocabulary.TimeBins.Count * tones.Vocabulary.LengthBins.Count, $"{timed - untimed}");
    }

    [Fact]
    public void The_training_count_of_a_tone_generators_step_is_the_graphs_less_the_length_rows_of_the_times_not_drawn_plus_the_embeddings()
    {
        // The lookback fixture: hidden 16 × 2, noise 4, embeddings 4, 4 time, 3 length and 3 velocity classes, a timed length of 4.
        var m = new ModelSettings(
            HiddenSize: 16,
            Layers: 2,
            NoiseSize: 4,
            Family: ModelFamily.Tones,
            EmbeddingSize: 4,
            TimeBins: 4,
            LengthBins: 3,
            VelocityBins: 3,
            LengthGivenTime: 4,
            BarPosition: true,
            LookbackBars: 2
        );

        var graph = GraphFlops.PerStep(File.ReadAllBytes(Repository.Fixture("generator-tones-lookback.onnx")));

        // The graph gathers each embedding's product with its columns of the input layer from a table it folds when it loads.
        var embeddings = 2.0 * ToneVocabulary.Heads.Count * m.EmbeddingSize * m.HiddenSize;
        Assert.Equal(graph - 2.0 * (m.TimeBins - 1) * m.LengthGivenTime * m.LengthBins + embeddings, TrainingFlops.GeneratorStep(m, 1));
    }
}
