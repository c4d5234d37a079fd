namespace CrnnGan.Training.Benchmarks;

/// <summary>
/// Floating-point operations of C-RNN-GAN's training, counted from the matrix products (2 per multiply-add),
/// which are nearly all of the work. A backward pass costs about twice its forward pass. Embedding lookups are free.
/// </summary>
public static class TrainingFlops
{
    /// <summary>
    /// The generator's forward pass over one step of a batch: input layer, LSTM cells, output layer; for the tone family
    /// the four heads and the length and pitch heads' corrections for one time class (<see cref="TimedLength"/>).
    /// </summary>
    public static double GeneratorStep(ModelSettings m, int batch)
    {
        var lstm = m.Layers * 2 * m.HiddenSize * 4 * m.HiddenSize;
        if (m.Family == ModelFamily.Continuous)
            return 2.0 * batch * ((m.Noise + m.Features) * m.HiddenSize + lstm + m.HiddenSize * m.Features);
        var input = (m.Noise + ToneVocabulary.Heads.Count * m.EmbeddingSize) * m.HiddenSize;
        var timed = m.LengthGivenTime * (m.HiddenSize + m.LengthBins) + m.PitchGivenTime * (m.HiddenSize + ToneVocabulary.Pitches);
        return 2.0 * batch * (input + lstm + m.HiddenSize * ToneClasses(m) + timed);
    }

    /// <summary>The discriminator's forward pass over one step of a batch: its input layer, both LSTM stacks and the scoring layer.</summary>
    public static double DiscriminatorStep(ModelSettings m, int batch)
    {
        var (input, firstLayer) =
            m.Family == ModelFamily.Continuous
                ? (0, (m.DiscriminatorInputs + m.HiddenSize) * 4 * m.HiddenSize)
                : (ToneClasses(m) * m.HiddenSize, 2 * m.HiddenSize * 4 * m.HiddenSize);
        var laterLayers = (m.Layers - 1) * 2 * m.HiddenSize * 4 * m.HiddenSize;
        return 2.0 * batch * (input + 2 * (firstLayer + laterLayers) + 2 * m.HiddenSize);
    }

    /// <summary>Pretraining: one generator forward and backward pass.</summary>
    public static double PretrainingBatch(ModelSettings m, int batch, int steps) => 3 * GeneratorStep(m, batch) * steps;

    /// <summary>
    /// Adversarial training with both networks updating: the generator forward and backward (3 passes'
    /// worth); the discriminator forward over real and generated songs (2 batches), L_D's backward through both (4) and
    /// the generator's loss's through the generated songs without the discriminator's weight gradients (1); with a
    /// likelihood term, the generator's teacher forcing forward and backward too.
    /// </summary>
    public static double AdversarialBatch(ModelSettings m, int batch, int steps, bool likelihood = false) =>
        ((likelihood ? 6 : 3) * GeneratorStep(m, batch) + 7 * DiscriminatorStep(m, batch)) * steps;

    /// <summary>The tone family's classes over its four heads: what its output layer writes and its discriminator reads.</summary>
    private static int ToneClasses(ModelSettings m) => ToneVocabulary.Pitches + m.TimeBins + m.LengthBins + m.VelocityBins;
}
