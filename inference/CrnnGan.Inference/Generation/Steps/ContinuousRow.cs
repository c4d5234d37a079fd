namespace CrnnGan.Inference.Generation.Steps;

/// <summary>A song of the paper's continuous model (contract version 1): its steps in model units, [steps, features].</summary>
internal sealed class ContinuousRow : SongRow
{
    private readonly int _features;
    private readonly float[]? _primer;
    private readonly float[] _previous;

    /// <summary>The first "previous output" is uniform noise, drawn before any step's noise.</summary>
    public ContinuousRow(ulong seed, int steps, float noiseScale, float[]? primer, int features)
        : base(seed, (primer?.Length ?? 0) / features + steps, noiseScale)
    {
        _features = features;
        _primer = primer;
        _previous = new float[features];
        Random.Fill(_previous);
        Result = new float[Steps * features];
    }

    public float[] Result { get; }

    protected override void WritePrevious(StepBuffers buffers, int slot) => _previous.CopyTo(buffers.Inputs[0].Row<float>(slot));

    public override void Take(StepBuffers buffers, int slot)
    {
        var step = Result.AsSpan(Step * _features, _features);
        if (_primer is not null && (Step + 1) * _features <= _primer.Length)
            _primer.AsSpan(Step * _features, _features).CopyTo(step);
        else
            buffers.Outputs[0].Row<float>(slot).CopyTo(step);
        step.CopyTo(_previous);
        Step++;
    }
}
