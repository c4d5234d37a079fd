namespace CrnnGan.Inference.Generation;

/// <summary>
/// The default generator (the tone GAN, models/crnngan.onnx), which the CrnnGan.Inference package and this repository's
/// tools copy beside the program that uses them.
/// </summary>
public static class BundledModel
{
    /// <summary>Where the bundled model is: models/crnngan.onnx in the program's own folder.</summary>
    public static string Path => System.IO.Path.Combine(AppContext.BaseDirectory, "models", "crnngan.onnx");

    /// <summary>A session over the bundled model; an error says where it looked when the file is not there.</summary>
    public static GeneratorSession Open(GeneratorSessionOptions? options = null) => GeneratorSession.Open(Path, options);
}
