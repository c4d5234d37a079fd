using Microsoft.ML.OnnxRuntime;

namespace CrnnGan.Inference.Generation.Steps;

/// <summary>
/// A step's inputs and outputs in host memory for up to <see cref="Capacity"/> rows, [rows, …] from the start of each
/// array, as the model's encoding declares them, and their binding to a session for a given number of rows and a given
/// recurrent state.
/// </summary>
internal sealed class StepBuffers
{
    public StepBuffers(ModelMetadata metadata, int capacity)
    {
        Capacity = capacity;
        NoiseSize = metadata.NoiseSize;
        Noise = new float[capacity * NoiseSize];
        Inputs = [.. metadata.Encoding.Inputs.Select(input => new StepArray(input, capacity))];
        Outputs = [.. metadata.Encoding.Outputs.Select(output => new StepArray(output, capacity))];
    }

    public int Capacity { get; }

    public int NoiseSize { get; }

    public float[] Noise { get; }

    /// <summary>The encoding's inputs besides noise and state in its order, the previous step first.</summary>
    public StepArray[] Inputs { get; }

    /// <summary>The encoding's outputs besides the state in its order.</summary>
    public StepArray[] Outputs { get; }

    /// <summary>Binds the first <paramref name="rows"/> rows, reading state from hidden and cell, writing it to the outs.</summary>
    public BoundStep Bind(InferenceSession session, int rows, OrtValue hidden, OrtValue cell, OrtValue hiddenOut, OrtValue cellOut)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rows, Capacity);
        var values = new List<OrtValue>();
        var binding = session.CreateIoBinding();
        var noise = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, Noise.AsMemory(0, rows * NoiseSize), [rows, NoiseSize]);
        values.Add(noise);
        binding.BindInput(ModelContract.Noise, noise);
        foreach (var input in Inputs)
            binding.BindInput(input.Value.Name, Tensor(input));
        binding.BindInput(ModelContract.Hidden, hidden);
        binding.BindInput(ModelContract.Cell, cell);
        foreach (var output in Outputs)
            binding.BindOutput(output.Value.Name, Tensor(output));
        binding.BindOutput(ModelContract.HiddenOut, hiddenOut);
        binding.BindOutput(ModelContract.CellOut, cellOut);
        return new BoundStep(binding, values);

        OrtValue Tensor(StepArray array)
        {
            var value = array.Tensor(rows);
            values.Add(value);
            return value;
        }
    }
}
