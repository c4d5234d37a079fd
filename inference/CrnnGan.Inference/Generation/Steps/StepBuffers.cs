using CrnnGan.Inference.Features;
using Microsoft.ML.OnnxRuntime;

namespace CrnnGan.Inference.Generation.Steps;

/// <summary>
/// A step's inputs and outputs in host memory for up to <see cref="Capacity"/> rows, [rows, …] from the start of each
/// array, and their binding to a session for a given number of rows and a given recurrent state.
/// </summary>
internal sealed class StepBuffers
{
    private readonly ModelMetadata _metadata;
    private readonly string[] _outputNames;
    private readonly long[][] _outputShapes;

    public StepBuffers(ModelMetadata metadata, int capacity)
    {
        _metadata = metadata;
        Capacity = capacity;
        NoiseSize = metadata.NoiseSize;
        Noise = new float[capacity * NoiseSize];
        if (metadata.Vocabulary is { } vocabulary)
        {
            PreviousTone = new long[capacity * vocabulary.Sizes.Count];
            _outputShapes = [.. ToneVocabulary.Heads.Select((_, k) => metadata.LogitShape(k))];
            _outputNames = [.. ToneVocabulary.Heads.Select(ModelContract.Logits)];
        }
        else
        {
            Previous = new float[capacity * metadata.Features];
            _outputShapes =
            [
                [metadata.Features],
            ];
            _outputNames = [ModelContract.Output];
        }
        Outputs = [.. _outputShapes.Select(shape => new float[capacity * Elements(shape)])];
    }

    public int Capacity { get; }

    public int NoiseSize { get; }

    public float[] Noise { get; }

    /// <summary>The previous step of the paper's model, [rows, features] (empty for a tone model).</summary>
    public float[] Previous { get; } = [];

    /// <summary>The previous tone as class indices, [rows, heads] (empty for the paper's model).</summary>
    public long[] PreviousTone { get; } = [];

    /// <summary>
    /// The paper's model: its one output, [rows, features]. A tone model: each head's logits, [rows, classes] (the length
    /// head's given the time: [rows, time classes, length classes]).
    /// </summary>
    public float[][] Outputs { get; }

    /// <summary>Binds the first <paramref name="rows"/> rows, reading state from hidden and cell, writing it to the outs.</summary>
    public BoundStep Bind(InferenceSession session, int rows, OrtValue hidden, OrtValue cell, OrtValue hiddenOut, OrtValue cellOut)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rows, Capacity);
        var values = new List<OrtValue>();
        var binding = session.CreateIoBinding();
        binding.BindInput(ModelContract.Noise, Slice(Noise, rows, [NoiseSize]));
        if (_metadata.IsToneModel)
            binding.BindInput(ModelContract.PreviousTone, Slice(PreviousTone, rows, [PreviousTone.Length / Capacity]));
        else
            binding.BindInput(ModelContract.Previous, Slice(Previous, rows, [_metadata.Features]));
        binding.BindInput(ModelContract.Hidden, hidden);
        binding.BindInput(ModelContract.Cell, cell);
        for (var k = 0; k < Outputs.Length; k++)
            binding.BindOutput(_outputNames[k], Slice(Outputs[k], rows, _outputShapes[k]));
        binding.BindOutput(ModelContract.HiddenOut, hiddenOut);
        binding.BindOutput(ModelContract.CellOut, cellOut);
        return new BoundStep(binding, values);

        OrtValue Slice<T>(T[] array, int count, long[] row)
            where T : unmanaged
        {
            var length = count * Elements(row);
            var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, array.AsMemory(0, length), [count, .. row]);
            values.Add(value);
            return value;
        }
    }

    /// <summary>How many values one row of the given shape holds.</summary>
    private static int Elements(long[] shape) => (int)shape.Aggregate(1L, (a, b) => a * b);
}
