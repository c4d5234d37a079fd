namespace CrnnGan.TestSupport;

/// <summary>
/// Small exported generators (hidden 16, two layers, seeded random weights, an output bias that makes notes) kept in tests/fixtures, so that the
/// inference tests run real ONNX models without TorchSharp. CrnnGan.Training.Tests checks that they are
/// exactly what the exporter makes.
/// </summary>
public static class FixtureModels
{
    public static string OneTonePerStep => Path.Combine(AppContext.BaseDirectory, "fixtures", "generator-k1.onnx");

    public static string ThreeTonesPerStep => Path.Combine(AppContext.BaseDirectory, "fixtures", "generator-k3.onnx");

    /// <summary>A generator of the tone family (contract version 2) whose pitch logits favour C major between C3 and C6.</summary>
    public static string Tones => Path.Combine(AppContext.BaseDirectory, "fixtures", "generator-tones.onnx");

    /// <summary>The same but that its length head reads the drawn time (contract version 3).</summary>
    public static string TimedTones => Path.Combine(AppContext.BaseDirectory, "fixtures", "generator-tones-timed.onnx");

    /// <summary>The same but that it reads where each tone falls in its bar (contract version 4).</summary>
    public static string BarTones => Path.Combine(AppContext.BaseDirectory, "fixtures", "generator-tones-bar.onnx");

    /// <summary>The same but that it also looks back on the last two bars (contract version 5).</summary>
    public static string LookbackTones => Path.Combine(AppContext.BaseDirectory, "fixtures", "generator-tones-lookback.onnx");

    /// <summary>The same but that its pitch head also reads the drawn time, in the chord's order (contract version 7).</summary>
    public static string PitchedTones => Path.Combine(AppContext.BaseDirectory, "fixtures", "generator-tones-pitched.onnx");

    /// <summary>The same network, its step drawing the time (contract version 8).</summary>
    public static string DrawnTones => Path.Combine(AppContext.BaseDirectory, "fixtures", "generator-tones-drawn.onnx");

    /// <summary>The same network, its noise drawn once a song (contract version 9).</summary>
    public static string SongNoiseTones => Path.Combine(AppContext.BaseDirectory, "fixtures", "generator-tones-song-noise.onnx");
}
