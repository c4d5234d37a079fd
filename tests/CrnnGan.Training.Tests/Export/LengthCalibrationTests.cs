using CrnnGan.Inference.Features;
using CrnnGan.Inference.Generation;
using CrnnGan.Inference.Music;
using CrnnGan.TestSupport;
using CrnnGan.Training.Export;

namespace CrnnGan.Training.Tests.Export;

/// <summary>A length bias in a tone model's metadata, and its calibration to a corpus's lengths.</summary>
public sealed class LengthCalibrationTests
{
    private static readonly byte[] Model = File.ReadAllBytes(Repository.Fixture("generator-tones.onnx"));

    private static readonly GeneratorSessionOptions Cpu = new(ExecutionProvider.Cpu);

    private static ToneVocabulary Vocabulary()
    {
        using var session = GeneratorSession.Load(Model, Cpu);
        return session.Metadata.Tones().Vocabulary;
    }

    [Fact]
    public void A_length_bias_moves_the_drawn_lengths_and_must_have_one_value_per_bin()
    {
        var bins = Vocabulary().LengthBins.Count;
        var bias = new float[bins];
        bias[2] = 30;

        var (biased, metadata) = SamplingDefaults.Apply(Model, null, null, bias);
        using var session = GeneratorSession.Load(biased, Cpu);
        var tones = session.RunTones(4, 50, [1, 2, 3, 4], 1f, 1f, null);

        Assert.Equal(bias, metadata.Tones().LengthBias);
        Assert.All(tones.Where((_, i) => i % ToneVocabulary.Heads.Count == ToneVocabulary.LengthHead), length => Assert.Equal(2, length));
        var error = Assert.Throws<InvalidDataException>(() => SamplingDefaults.Apply(Model, null, null, [1f, 2f]));
        Assert.Contains($"2 length biases for {bins} length bins", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Calibration_brings_how_often_the_songs_hold_each_length_to_the_corpus()
    {
        var (quarter, half) = (Vocabulary().LengthBins[1], Vocabulary().LengthBins[^1]);
        // Songs of two lengths, three short tones to one long, apart in time and pitch so that no key sounds twice.
        var songs = Enumerable
            .Range(0, 20)
            .Select(s => (IReadOnlyList<Tone>)[.. Enumerable.Range(0, 40).Select(i => new Tone(8.0 * i, i % 4 == 0 ? half : quarter, 40 + i, 80))])
            .ToList();

        var calibration = LengthCalibration.Fit(Model, songs);

        Assert.Equal(LengthCalibration.Rounds + 1, calibration.Distances.Count);
        Assert.True(calibration.Distances[^1] < calibration.Distances[0] / 3, string.Join(" → ", calibration.Distances));
        Assert.True(calibration.Distances[^1] < 0.15, string.Join(" → ", calibration.Distances));
    }
}
