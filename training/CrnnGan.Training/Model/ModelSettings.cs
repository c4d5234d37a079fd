using System.Text.Json.Serialization;
using CrnnGan.Inference.Features;

namespace CrnnGan.Training.Model;

/// <summary>
/// The sizes of C-RNN-GAN's networks. The defaults are the paper's: one tone per step, two LSTM layers of
/// 350 units in each network, dropout 0.5, and a uniform noise vector as wide as a step.
/// </summary>
public sealed record ModelSettings(int TonesPerStep = 1, int HiddenSize = 350, int Layers = 2, int NoiseSize = 0, double Dropout = 0.5)
{
    [JsonIgnore]
    public StepLayout Layout => new(TonesPerStep);

    [JsonIgnore]
    public int Features => Layout.FeaturesPerStep;

    /// <summary>Width of z_t; 0 means as wide as a step, as in the paper.</summary>
    [JsonIgnore]
    public int Noise => NoiseSize > 0 ? NoiseSize : Features;
}
