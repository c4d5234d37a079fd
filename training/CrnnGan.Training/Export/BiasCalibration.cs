namespace CrnnGan.Training.Export;

/// <summary>
/// A bias of a tone model's length or time logits (<see cref="ToneEncoding.LengthBias"/>, <see cref="ToneEncoding.TimeBias"/>),
/// fitted so that its songs hold each bin of that head as often as the corpus's do. Trained by teacher forcing, a head matches
/// the corpus one step at a time; running free on its own tones at a temperature below 1, the model crowds the commonest
/// classes (lengths; and chords, the time 0). Each round generates songs, compares how often they hold each bin (read back as
/// the file holds them) with the corpus, and moves each bin's logit by half the log of the ratio: logit adjustment, damped and
/// repeated because the songs feed their tones back.
/// </summary>
public sealed record BiasCalibration(int Head, float[] Bias, IReadOnlyList<double> Distances) : ISamplingCalibration
{
    /// <summary>Rounds of adjustment: damped by half, the bundled models' distances stop falling after four to six.</summary>
    public const int Rounds = 6;

    /// <summary>Songs of <see cref="Tones"/> tones a round: about 100,000 tones, a few seconds.</summary>
    public const int Songs = 1000;

    public const int Tones = 100;

    /// <summary>Seeds of the calibration's songs: far from the seeds 0–199 that `evaluate` measures by default.</summary>
    public const ulong Seed = 1_000_000;

    /// <summary>
    /// The least share a bin counts as: a bin no song holds gets a finite bias, and the rarest bins, whose shares a
    /// round measures poorly, are not pushed far (with a floor of 1e-5 and no damping, the first round overshot).
    /// </summary>
    private const double Floor = 1e-3;

    /// <summary>
    /// Fits the bias of head <paramref name="head"/> (<see cref="ToneVocabulary.LengthHead"/> or <see cref="ToneVocabulary.TimeHead"/>)
    /// of <paramref name="onnx"/> (a tone model, at its default sampling) anew to <paramref name="songs"/>. <see cref="Distances"/>
    /// holds the total variation between the bins of the model's songs and the corpus's before each round and after the last. With
    /// <paramref name="only"/>, that bin's logit alone moves (the time 0: how often a tone joins a chord), the others' staying 0.
    /// </summary>
    /// <exception cref="InvalidDataException">
    /// Not a tone model, a time bias for a model whose step does not draw the time, or no song holds a tone.
    /// </exception>
    public static BiasCalibration Fit(
        byte[] onnx,
        IEnumerable<IReadOnlyList<Tone>> songs,
        int head = ToneVocabulary.LengthHead,
        IProgress<(int Done, int Total)>? rounds = null,
        int? only = null
    )
    {
        if (head is not (ToneVocabulary.LengthHead or ToneVocabulary.TimeHead))
            throw new ArgumentOutOfRangeException(nameof(head), head, "A bias is calibrated for the length or the time head.");
        var (model, metadata) = SamplingDefaults.Apply(onnx, null, null);
        var vocabulary = metadata.EncodingAs<ToneEncoding>("Calibration is for the tone family").Vocabulary;
        var target = Shares(songs, vocabulary, head);
        var bias = new float[vocabulary.Sizes[head]];
        var distances = new List<double>();
        for (var round = 0; ; round++)
        {
            var (biased, _) = WithBias(model, head, bias);
            var drawn = Shares(Generate(biased).Select(s => s.Song.Tones), vocabulary, head);
            distances.Add(0.5 * target.Zip(drawn, (t, d) => Math.Abs(t - d)).Sum());
            if (round == Rounds)
                return new BiasCalibration(head, bias, distances);
            for (var i = 0; i < bias.Length; i++)
            {
                if (only is null || i == only)
                    bias[i] += 0.5f * (float)Math.Log(Math.Max(target[i], Floor) / Math.Max(drawn[i], Floor));
            }
            rounds?.Report((round + 1, Rounds));
        }
    }

    /// <inheritdoc/>
    public (byte[] Model, ModelMetadata Metadata) Apply(byte[] onnx) => WithBias(onnx, Head, Bias);

    private static (byte[] Model, ModelMetadata Metadata) WithBias(byte[] onnx, int head, float[] bias) =>
        head == ToneVocabulary.TimeHead ? SamplingDefaults.Apply(onnx, null, null, timeBias: bias) : SamplingDefaults.Apply(onnx, null, null, bias);

    /// <summary>The songs a calibration round measures: <see cref="Songs"/> of <see cref="Tones"/> tones from <see cref="Seed"/> on.</summary>
    internal static GeneratedSong[] Generate(byte[] model)
    {
        using var session = GeneratorSession.Load(model, new GeneratorSessionOptions(ExecutionProvider.Cpu), name: "the model to calibrate");
        var request = new GenerationRequest
        {
            Count = Songs,
            Steps = Tones,
            Seed = Seed,
            BatchSize = 50,
        };
        return [.. new SongGenerator(session).Generate(request)];
    }

    /// <summary>
    /// How often the tones of the songs are each bin of <paramref name="head"/> (the nearest), each song weighing the same:
    /// training takes one window of every song an epoch, and `evaluate` one window of every real song.
    /// </summary>
    private static double[] Shares(IEnumerable<IReadOnlyList<Tone>> songs, ToneVocabulary vocabulary, int head)
    {
        var shares = new double[vocabulary.Sizes[head]];
        var count = 0;
        foreach (var song in songs.Where(s => s.Count > 0))
        {
            var indices = vocabulary.Encode(song);
            var tones = indices.Length / ToneVocabulary.Heads.Count;
            for (var i = head; i < indices.Length; i += ToneVocabulary.Heads.Count)
                shares[indices[i]] += 1.0 / tones;
            count++;
        }
        return count > 0 ? [.. shares.Select(s => s / count)] : throw new InvalidDataException("The songs to calibrate on hold no tone.");
    }
}
