using System.Text.Json.Serialization;
using CrnnGan.Inference.Features;

namespace CrnnGan.Training.Model;

/// <summary>
/// The sizes of C-RNN-GAN's networks. The defaults are the paper's: one tone per step, two LSTM layers of
/// 350 units in each network, dropout 0.5, a uniform noise vector as wide as a step, and a discriminator that
/// reads the same features as the generator writes.
/// </summary>
/// <param name="PitchDivisor">Ours: the networks see pitch ÷ this (see <see cref="FeatureScaling.DefaultPitchDivisor"/>).</param>
/// <param name="DiscriminatorPitchClass">Ours, off in the paper's configuration: the discriminator also reads each
/// tone's pitch class, as a point on a circle (see <see cref="Discriminator"/>).</param>
/// <param name="DiscriminatorInputDropout">The dropout on what the discriminator reads; null, as in the reference,
/// means <paramref name="Dropout"/>.</param>
public sealed record ModelSettings(
    int TonesPerStep = 1, int HiddenSize = 350, int Layers = 2, int NoiseSize = 0, double Dropout = 0.5,
    int PitchDivisor = FeatureScaling.DefaultPitchDivisor, bool DiscriminatorPitchClass = false, double? DiscriminatorInputDropout = null)
{
    [JsonIgnore]
    public StepLayout Layout => new(TonesPerStep);

    [JsonIgnore]
    public int Features => Layout.FeaturesPerStep;

    /// <summary>Width of z_t; 0 means as wide as a step, as in the paper.</summary>
    [JsonIgnore]
    public int Noise => NoiseSize > 0 ? NoiseSize : Features;

    /// <summary>The factor each feature of a step is multiplied by, as the networks see it.</summary>
    [JsonIgnore]
    public float[] FeatureScale => FeatureScaling.Factors(Layout, PitchDivisor);

    /// <summary>What the discriminator reads per step: the step's features, and two more per tone with <see cref="DiscriminatorPitchClass"/>.</summary>
    [JsonIgnore]
    public int DiscriminatorInputs => Features + (DiscriminatorPitchClass ? 2 * TonesPerStep : 0);
}
