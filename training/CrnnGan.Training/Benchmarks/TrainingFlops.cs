namespace CrnnGan.Training.Benchmarks;

/// <summary>
/// Floating-point operations of C-RNN-GAN's training, counted from the matrix products (2 per multiply-add),
/// which are nearly all of the work. A backward pass costs about twice its forward pass.
/// </summary>
public static class TrainingFlops
{
    /// <summary>The generator's forward pass over one step of a batch: input layer, LSTM cells, output layer.</summary>
    public static double GeneratorStep(ModelSettings m, int batch) =>
        2.0 * batch * ((m.Noise + m.Features) * m.HiddenSize + m.Layers * 2 * m.HiddenSize * 4 * m.HiddenSize + m.HiddenSize * m.Features);

    /// <summary>The discriminator's forward pass over one step of a batch: both LSTM stacks and the scoring layer.</summary>
    public static double DiscriminatorStep(ModelSettings m, int batch)
    {
        var firstLayer = (m.DiscriminatorInputs + m.HiddenSize) * 4 * m.HiddenSize;
        var laterLayers = (m.Layers - 1) * 2 * m.HiddenSize * 4 * m.HiddenSize;
        return 2.0 * batch * (2 * (firstLayer + laterLayers) + 2 * m.HiddenSize);
    }

    /// <summary>Pretraining: one generator forward and backward pass.</summary>
    public static double PretrainingBatch(ModelSettings m, int batch, int steps) => 3 * GeneratorStep(m, batch) * steps;

    /// <summary>
    /// Adversarial training with both networks updating: the generator forward and backward (3 passes'
    /// worth); the discriminator forward over real and generated songs for L_D and over generated songs for
    /// the generator (3 batches), and backward through all three (6).
    /// </summary>
    public static double AdversarialBatch(ModelSettings m, int batch, int steps) =>
        (3 * GeneratorStep(m, batch) + 9 * DiscriminatorStep(m, batch)) * steps;
}
