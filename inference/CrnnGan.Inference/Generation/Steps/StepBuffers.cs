using CrnnGan.Inference.Generation.Encodings;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace CrnnGan.Inference.Generation.Steps;

/// <summary>
/// A step's inputs and outputs in host memory for up to <see cref="Capacity"/> rows, [rows, …] from the start of each
/// array, as the model's encoding declares them, and their binding to a session for a given number of rows and a given
/// recurrent state.
/// </summary>
internal sealed class StepBuffers
{
    private readonly SongEncoding.StepValue _previous;
    private readonly IReadOnlyList<SongEncoding.StepValue> _outputs;

    public StepBuffers(ModelMetadata metadata, int capacity)
    {
        Capacity = capacity;
        NoiseSize = metadata.NoiseSize;
        Noise = new float[capacity * NoiseSize];
        _previous = metadata.Encoding.Previous;
        if (_previous.Type == TensorElementType.Int64)
            PreviousClasses = new long[capacity * _previous.Width];
        else
            PreviousValues = new float[capacity * _previous.Width];
        _outputs = metadata.Encoding.Outputs;
        Outputs = [.. _outputs.Select(output => new float[capacity * output.Width])];
    }

    public int Capacity { get; }

    public int NoiseSize { get; }

    public float[] Noise { get; }

    /// <summary>The previous step as values, [rows, values], where the encoding feeds it back as floats.</summary>
    public float[] PreviousValues { get; } = [];

    /// <summary>The previous step as class indices, [rows, heads], where the encoding feeds it back as int64.</summary>
    public long[] PreviousClasses { get; } = [];

    /// <summary>The encoding's outputs in its order, each [rows, its shape].</summary>
    public float[][] Outputs { get; }

    /// <summary>Binds the first <paramref name="rows"/> rows, reading state from hidden and cell, writing it to the outs.</summary>
    public BoundStep Bind(InferenceSession session, int rows, OrtValue hidden, OrtValue cell, OrtValue hiddenOut, OrtValue cellOut)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rows, Capacity);
        var values = new List<OrtValue>();
        var binding = session.CreateIoBinding();
        binding.BindInput(ModelContract.Noise, Slice(Noise, rows, [NoiseSize]));
        binding.BindInput(
            _previous.Name,
            PreviousClasses.Length > 0 ? Slice(PreviousClasses, rows, _previous.Shape) : Slice(PreviousValues, rows, _previous.Shape)
        );
        binding.BindInput(ModelContract.Hidden, hidden);
        binding.BindInput(ModelContract.Cell, cell);
        for (var k = 0; k < Outputs.Length; k++)
            binding.BindOutput(_outputs[k].Name, Slice(Outputs[k], rows, _outputs[k].Shape));
        binding.BindOutput(ModelContract.HiddenOut, hiddenOut);
        binding.BindOutput(ModelContract.CellOut, cellOut);
        return new BoundStep(binding, values);

        OrtValue Slice<T>(T[] array, int count, long[] row)
            where T : unmanaged
        {
            var length = count * (int)row.Aggregate(1L, (a, b) => a * b);
            var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, array.AsMemory(0, length), [count, .. row]);
            values.Add(value);
            return value;
        }
    }
}
