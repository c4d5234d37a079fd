namespace CrnnGan.Inference.Generation;

/// <summary>
/// The contract between training and serving: an exported generator is one step of C-RNN-GAN with explicit
/// state, so that the loop (and any length) lives in the host. All step values are in model units, the
/// normalised features the networks train on; <see cref="ModelMetadata.FeatureScale"/> turns them into
/// musical units (musical = model ÷ scale).
/// <code>
/// inputs:  noise [batch, noise_size], previous [batch, features], h [layers, batch, hidden], c [layers, batch, hidden]
/// outputs: output [batch, features], h_out [layers, batch, hidden], c_out [layers, batch, hidden]
/// </code>
/// At the first step, previous is itself uniform noise on [0, 1) and h and c are zero; then each step's
/// output, h_out and c_out are the next step's previous, h and c.
/// </summary>
public static class ModelContract
{
    public const int Version = 1;

    public const string Noise = "noise";
    public const string Previous = "previous";
    public const string Hidden = "h";
    public const string Cell = "c";
    public const string Output = "output";
    public const string HiddenOut = "h_out";
    public const string CellOut = "c_out";

    /// <summary>The symbolic batch dimension of every input and output.</summary>
    public const string Batch = "batch";
}
