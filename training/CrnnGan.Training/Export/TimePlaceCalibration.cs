using CrnnGan.Inference.Statistics;

namespace CrnnGan.Training.Export;

/// <summary>
/// A time bias by place (<see cref="ToneEncoding.TimeBiasByPlace"/>), fitted so that after a tone at each place in its quarter
/// note (each step of the 1/48-quarter grid), in songs of each timing, the model's songs take each time to the next onset as
/// often as the corpus's do; a place too rare to measure keeps a bias of 0. A bias of the time alone
/// (<see cref="BiasCalibration"/>) raises the short times off the grid wherever a tone falls, and a long song that leaves
/// the beat does not come back; real music mostly leaves it for a tone and returns, which is a time given the place. Each
/// round generates songs, counts the time classes after each place, and moves each logit by half the log of the ratio of
/// the conditional shares, as <see cref="BiasCalibration"/> does. A real tone's place is read from its own onset.
/// </summary>
public sealed record TimePlaceCalibration(float[] Bias, IReadOnlyList<double> Distances) : ISamplingCalibration
{
    /// <summary>Tones a row needs, in the corpus and in a round's songs, for its shares to move its bias.</summary>
    public const int MinimumTones = 200;

    /// <summary>The least share a class counts as, as in <see cref="BiasCalibration"/>.</summary>
    private const double Floor = 1e-3;

    /// <summary>
    /// Fits the time bias by place of <paramref name="onnx"/> (a tone model whose step draws the time, at its default sampling)
    /// anew to <paramref name="songs"/>. <see cref="Distances"/> holds the total variation between the (place, time) pairs of the
    /// model's songs and the corpus's before each round and after the last.
    /// </summary>
    /// <exception cref="InvalidDataException">Not a tone model whose step draws the time, or no song holds a tone.</exception>
    public static TimePlaceCalibration Fit(byte[] onnx, IEnumerable<IReadOnlyList<Tone>> songs, IProgress<(int Done, int Total)>? rounds = null)
    {
        var (model, metadata) = SamplingDefaults.Apply(onnx, null, null);
        var encoding = metadata.EncodingAs<ToneEncoding>("Calibration is for the tone family");
        if (!encoding.TimeInStep)
            throw new InvalidDataException(
                $"A time bias by place is for a model whose step draws the time (contract version {ToneEncoding.TimeInStepVersion})."
            );
        var target = Counts(encoding, songs.Select(s => (s, OnsetPosition.Timing(s))));
        var bins = encoding.Vocabulary.TimeBins.Count;
        var bias = new float[encoding.TimeBiasRows * bins];
        var distances = new List<double>();
        for (var round = 0; ; round++)
        {
            var (biased, _) = SamplingDefaults.Apply(model, null, null, timeBiasByPlace: bias);
            var drawn = Counts(encoding, BiasCalibration.Generate(biased).Select(s => (s.Song.Tones, encoding.TimingOf(s.Seed))));
            distances.Add(Distance(target, drawn));
            if (round == BiasCalibration.Rounds)
                return new TimePlaceCalibration(bias, distances);
            for (var row = 0; row < encoding.TimeBiasRows; row++)
            {
                var t = target.AsSpan(row * bins, bins);
                var d = drawn.AsSpan(row * bins, bins);
                var (tTotal, dTotal) = (Sum(t), Sum(d));
                if (tTotal < MinimumTones || dTotal < MinimumTones)
                    continue;
                for (var i = 0; i < bins; i++)
                    bias[row * bins + i] += 0.5f * (float)Math.Log(Math.Max(t[i] / tTotal, Floor) / Math.Max(d[i] / dTotal, Floor));
            }
            rounds?.Report((round + 1, BiasCalibration.Rounds));
        }
    }

    /// <inheritdoc/>
    public (byte[] Model, ModelMetadata Metadata) Apply(byte[] onnx) => SamplingDefaults.Apply(onnx, null, null, timeBiasByPlace: Bias);

    /// <summary>
    /// How many tones of the songs take each time class after a tone at each place, [rows × time classes] as the bias is laid out.
    /// The place is where the tone before truly started (the first tone's: the start of a bar), not where the time classes add up
    /// to: the bins hold few of the times over a quarter note, so in the corpus's metered songs the classes added up put 58% of the
    /// onsets on the sixteenths where 85% are. In the model's songs the two are the same.
    /// </summary>
    private static double[] Counts(ToneEncoding encoding, IEnumerable<(IReadOnlyList<Tone> Tones, SongTiming Timing)> songs)
    {
        var vocabulary = encoding.Vocabulary;
        var bins = vocabulary.TimeBins.Count;
        var counts = new double[encoding.TimeBiasRows * bins];
        foreach (var (tones, timing) in songs)
        {
            var ordered = vocabulary.Ordered(tones);
            var indices = vocabulary.EncodeOrdered(ordered);
            var onsets = ToneVocabulary.GridOnsets(ordered);
            for (var t = 0; t < onsets.Length; t++)
            {
                var row = encoding.TimeBiasRow(timing, t == 0 ? 0 : onsets[t - 1]);
                counts[row * bins + indices[t * ToneVocabulary.Heads.Count + ToneVocabulary.TimeHead]]++;
            }
        }
        return Sum(counts) > 0 ? counts : throw new InvalidDataException("The songs to calibrate on hold no tone.");
    }

    /// <summary>The total variation between the two counts as distributions over (row, time class).</summary>
    private static double Distance(double[] target, double[] drawn)
    {
        var (t, d) = (Sum(target), Sum(drawn));
        return 0.5 * target.Zip(drawn, (a, b) => Math.Abs(a / t - b / d)).Sum();
    }

    private static double Sum(ReadOnlySpan<double> values)
    {
        var sum = 0.0;
        foreach (var v in values)
            sum += v;
        return sum;
    }
}
