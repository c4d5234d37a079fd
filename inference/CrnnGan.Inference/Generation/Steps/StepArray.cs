using CrnnGan.Inference.Generation.Encodings;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace CrnnGan.Inference.Generation.Steps;

/// <summary>One step value (see <see cref="SongEncoding.StepValue"/>) in host memory for up to a capacity of rows, [rows, its shape].</summary>
internal sealed class StepArray(SongEncoding.StepValue value, int capacity)
{
    private readonly Array _data = value.Type == TensorElementType.Int64 ? new long[capacity * value.Width] : new float[capacity * value.Width];

    public SongEncoding.StepValue Value { get; } = value;

    /// <summary>Row <paramref name="slot"/>'s values, of the element type the value declares (float or long).</summary>
    public Span<T> Row<T>(int slot)
        where T : unmanaged => ((T[])_data).AsSpan(slot * Value.Width, Value.Width);

    /// <summary>The first <paramref name="rows"/> rows as a tensor over this memory.</summary>
    public OrtValue Tensor(int rows) => _data is long[] classes ? Tensor(classes, rows) : Tensor((float[])_data, rows);

    private OrtValue Tensor<T>(T[] data, int rows)
        where T : unmanaged =>
        OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, data.AsMemory(0, rows * Value.Width), [rows, .. Value.Shape]);
}
