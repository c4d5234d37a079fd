using CrnnGan.Inference.Features;
using CrnnGan.Inference.Generation;
using CrnnGan.Inference.Generation.Encodings;
using CrnnGan.Inference.Music;
using CrnnGan.TestSupport;
using CrnnGan.Training.Export;

namespace CrnnGan.Training.Tests.Export;

/// <summary>A length or time bias in a tone model's metadata, and its calibration to a corpus's lengths or times (by place too).</summary>
public sealed class BiasCalibrationTests
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

        var calibration = BiasCalibration.Fit(Model, songs);

        Assert.Equal(BiasCalibration.Rounds + 1, calibration.Distances.Count);
        Assert.True(calibration.Distances[^1] < calibration.Distances[0] / 3, string.Join(" → ", calibration.Distances));
        Assert.True(calibration.Distances[^1] < 0.15, string.Join(" → ", calibration.Distances));
    }

    private static readonly byte[] DrawnTimes = File.ReadAllBytes(Repository.Fixture("generator-tones-drawn.onnx"));

    [Fact]
    public void A_time_bias_moves_the_times_the_step_draws_and_is_refused_for_a_model_whose_host_draws_them()
    {
        float[] bias = [0, 0, 30, 0];

        var (biased, metadata) = SamplingDefaults.Apply(DrawnTimes, null, null, timeBias: bias);
        using var session = GeneratorSession.Load(biased, Cpu);
        var tones = session.RunTones(4, 50, [1, 2, 3, 4], 1f, 1f, null);

        Assert.Equal(bias, metadata.Tones().TimeBias);
        Assert.Equal(metadata.Tones(), session.Metadata.Tones());
        Assert.All(tones.Where((_, i) => i % ToneVocabulary.Heads.Count == ToneVocabulary.TimeHead), time => Assert.Equal(2, time));
        var hostDrawn = Assert.Throws<InvalidDataException>(() => SamplingDefaults.Apply(Model, null, null, timeBias: bias));
        Assert.Contains("contract version 8", hostDrawn.Message, StringComparison.Ordinal);
        var wrong = Assert.Throws<InvalidDataException>(() => SamplingDefaults.Apply(DrawnTimes, null, null, timeBias: [1f]));
        Assert.Contains("1 time biases for 4 time bins", wrong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Calibration_brings_how_often_the_songs_hold_each_time_to_the_corpus()
    {
        var vocabulary = GeneratorSession.Load(DrawnTimes, Cpu).Metadata.Tones().Vocabulary;
        var (chord, quarter) = (vocabulary.TimeBins[0], vocabulary.TimeBins[1]);
        // Songs of two times, a chord of two keys every quarter note: half the tones at the time 0.
        var songs = Enumerable
            .Range(0, 20)
            .Select(s => (IReadOnlyList<Tone>)[.. Enumerable.Range(0, 40).Select(i => new Tone(quarter * (i / 2) + chord, 0.25, 40 + i, 80))])
            .ToList();

        var calibration = BiasCalibration.Fit(DrawnTimes, songs, ToneVocabulary.TimeHead);
        var chords = BiasCalibration.Fit(DrawnTimes, songs, ToneVocabulary.TimeHead, only: vocabulary.ZeroTime);

        Assert.Equal(ToneVocabulary.TimeHead, calibration.Head);
        Assert.Equal(vocabulary.TimeBins.Count, calibration.Bias.Length);
        Assert.True(calibration.Distances[^1] < calibration.Distances[0] / 2, string.Join(" → ", calibration.Distances));
        // The time 0 alone: half the tones join a chord, as in the songs, the rest of the times as the model draws them.
        Assert.NotEqual(0f, chords.Bias[vocabulary.ZeroTime]);
        Assert.All(chords.Bias.Where((_, i) => i != vocabulary.ZeroTime), b => Assert.Equal(0f, b));
        Assert.True(chords.Distances[^1] < chords.Distances[0], string.Join(" → ", chords.Distances));
    }

    [Fact]
    public void A_time_bias_by_place_draws_the_time_from_the_row_of_where_the_tone_before_fell_and_must_fill_every_row()
    {
        var bins = GeneratorSession.Load(DrawnTimes, Cpu).Metadata.Tones().Vocabulary.TimeBins.Count; // 0, ¼, ½ and 1 quarter
        var bias = new float[ToneEncoding.TimeBiasPlaces * bins];
        // After a tone on the quarter's first sixteenth a sixteenth, after one on its second an eighth, after one on its fourth
        // a sixteenth again, back on the beat: times 1, 2, 1, 1, 2, 1, … from the start of the bar.
        (bias[0 * bins + 1], bias[12 * bins + 2], bias[36 * bins + 1]) = (30, 30, 30);

        var (biased, metadata) = SamplingDefaults.Apply(DrawnTimes, null, null, timeBiasByPlace: bias);
        using var session = GeneratorSession.Load(biased, Cpu);
        var tones = session.RunTones(4, 50, [1, 2, 3, 4], 1f, 1f, null);

        Assert.Equal(bias, metadata.Tones().TimeBiasByPlace);
        Assert.Equal(metadata.Tones(), session.Metadata.Tones());
        var times = tones.Where((_, i) => i % ToneVocabulary.Heads.Count == ToneVocabulary.TimeHead).ToArray();
        Assert.Equal(Enumerable.Range(0, times.Length).Select(i => i % 50 % 3 == 1 ? 2 : 1), times);
        var hostDrawn = Assert.Throws<InvalidDataException>(() => SamplingDefaults.Apply(Model, null, null, timeBiasByPlace: bias));
        Assert.Contains("contract version 8", hostDrawn.Message, StringComparison.Ordinal);
        var wrong = Assert.Throws<InvalidDataException>(() => SamplingDefaults.Apply(DrawnTimes, null, null, timeBiasByPlace: [1f, 2f, 3f]));
        Assert.Contains("3 time biases by place for 48 rows of 4 time bins", wrong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Calibration_by_place_brings_the_time_after_each_place_to_the_corpus()
    {
        var vocabulary = GeneratorSession.Load(DrawnTimes, Cpu).Metadata.Tones().Vocabulary;
        var (sixteenth, eighth) = (vocabulary.TimeBins[1], vocabulary.TimeBins[2]);
        // A dotted rhythm: a sixteenth from the beat, then an eighth, then a sixteenth back onto the beat, and again.
        var songs = Enumerable
            .Range(0, 20)
            .Select(s => (IReadOnlyList<Tone>)[.. Enumerable.Range(0, 60).Select(i => new Tone(Onset(i), 0.25, 40 + i, 80))])
            .ToList();

        var calibration = TimePlaceCalibration.Fit(DrawnTimes, songs);

        Assert.Equal(BiasCalibration.Rounds + 1, calibration.Distances.Count);
        Assert.Equal(ToneEncoding.TimeBiasPlaces * vocabulary.TimeBins.Count, calibration.Bias.Length);
        Assert.True(calibration.Distances[^1] < calibration.Distances[0] / 2, string.Join(" → ", calibration.Distances));
        // On the beat (and after the start) the sixteenth, on the second sixteenth the eighth: each row favours its own time.
        Assert.True(calibration.Bias[1] > calibration.Bias[2] + 1);
        Assert.True(calibration.Bias[12 * vocabulary.TimeBins.Count + 2] > calibration.Bias[12 * vocabulary.TimeBins.Count + 1] + 1);
        var paper = Assert.Throws<InvalidDataException>(() => TimePlaceCalibration.Fit(Model, songs));
        Assert.Contains("contract version 8", paper.Message, StringComparison.Ordinal);

        // Tone i starts 1 + ⌊i/3⌋ quarters in, then a sixteenth and three sixteenths later for the second and third of each three.
        double Onset(int i) =>
            1
            + i / 3
            + (i % 3) switch
            {
                0 => 0,
                1 => sixteenth,
                _ => sixteenth + eighth,
            };
    }
}
