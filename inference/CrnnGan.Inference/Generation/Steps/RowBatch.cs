using Microsoft.ML.OnnxRuntime;

namespace CrnnGan.Inference.Generation.Steps;

/// <summary>
/// A batch whose rows change between steps: the step's inputs and outputs, and each row's recurrent state in host
/// memory, kept when rows join or leave (a joining row starts from zero state, as a song does).
/// </summary>
internal sealed class RowBatch(InferenceSession session, ModelMetadata metadata, int capacity) : IDisposable
{
    private readonly StepBuffers _buffers = new(metadata, capacity);
    private readonly int _layers = metadata.Layers;
    private readonly int _hidden = metadata.HiddenSize;

    // Two sets of state, [layers, rows, hidden] from the start of each array: a step reads one and writes the other.
    private readonly float[][] _hiddens =
    [
        new float[metadata.Layers * capacity * metadata.HiddenSize],
        new float[metadata.Layers * capacity * metadata.HiddenSize],
    ];
    private readonly float[][] _cells =
    [
        new float[metadata.Layers * capacity * metadata.HiddenSize],
        new float[metadata.Layers * capacity * metadata.HiddenSize],
    ];
    private readonly List<OrtValue> _state = [];
    private SongRow[] _rows = [];
    private BoundStep[] _bindings = [];
    private int _read;

    /// <summary>Makes <paramref name="rows"/> the batch, in this order: rows already in it keep their state.</summary>
    public void SetRows(SongRow[] rows)
    {
        var write = 1 - _read;
        for (var l = 0; l < _layers; l++)
        {
            for (var j = 0; j < rows.Length; j++)
            {
                Move(_hiddens);
                Move(_cells);

                void Move(float[][] state)
                {
                    var target = state[write].AsSpan((l * rows.Length + j) * _hidden, _hidden);
                    if (rows[j].Slot >= 0)
                        state[_read].AsSpan((l * _rows.Length + rows[j].Slot) * _hidden, _hidden).CopyTo(target);
                    else
                        target.Clear();
                }
            }
        }
        for (var j = 0; j < rows.Length; j++)
            rows[j].Slot = j;
        (_rows, _read) = (rows, write);
        Unbind();
        if (rows.Length > 0)
            _bindings = [Bind(0, 1), Bind(1, 0)];
    }

    /// <summary>One step of every row: inputs written, the model run, outputs taken.</summary>
    public void Step(RunOptions options)
    {
        for (var i = 0; i < _rows.Length; i++)
            _rows[i].Prepare(_buffers, i);
        session.RunWithBinding(options, _bindings[_read].Binding);
        for (var i = 0; i < _rows.Length; i++)
            _rows[i].Take(_buffers, i);
        _read = 1 - _read;
    }

    private BoundStep Bind(int read, int write) =>
        _buffers.Bind(session, _rows.Length, State(_hiddens[read]), State(_cells[read]), State(_hiddens[write]), State(_cells[write]));

    private OrtValue State(float[] values)
    {
        var value = OrtValue.CreateTensorValueFromMemory(
            OrtMemoryInfo.DefaultInstance,
            values.AsMemory(0, _layers * _rows.Length * _hidden),
            [_layers, _rows.Length, _hidden]
        );
        _state.Add(value);
        return value;
    }

    private void Unbind()
    {
        foreach (var binding in _bindings)
            binding.Dispose();
        foreach (var value in _state)
            value.Dispose();
        _bindings = [];
        _state.Clear();
    }

    public void Dispose() => Unbind();
}
