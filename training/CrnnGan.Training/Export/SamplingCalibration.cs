namespace CrnnGan.Training.Export;

/// <summary>A bias fitted to a corpus after training (<see cref="BiasCalibration"/>, <see cref="TimePlaceCalibration"/>).</summary>
public interface ISamplingCalibration
{
    /// <summary>The total variation between the model's songs and the corpus's before each round and after the last.</summary>
    IReadOnlyList<double> Distances { get; }

    /// <summary>The model with this calibration's bias in its metadata, and that metadata.</summary>
    (byte[] Model, ModelMetadata Metadata) Apply(byte[] onnx);
}
