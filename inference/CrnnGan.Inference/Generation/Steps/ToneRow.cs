using CrnnGan.Inference.Generation.Encodings;

namespace CrnnGan.Inference.Generation.Steps;

/// <summary>
/// A song of the tone family (contract versions 2 to 7): its tones as class indices, [steps, heads]. After each step
/// the row draws one uniform number per head and, with them, its tone by <see cref="ToneSampler.DrawTone"/> (with ascending
/// chords, a tone out of the chord's order is drawn again from a stream of its own).
/// </summary>
internal sealed class ToneRow : SongRow
{
    private readonly IReadOnlyList<int> _sizes;
    private readonly int[] _widths;
    private readonly bool _lengthGivenTime;
    private readonly bool _pitchGivenTime;
    private readonly int[]? _primer;
    private readonly float _temperature;
    private readonly float? _timeTemperature;
    private readonly float _topP;
    private readonly float _lengthTemperature;
    private readonly float[] _lengthBias;
    private readonly int _zeroTime;
    private readonly Randomness.SeededRandom? _redraws;
    private readonly ToneFeedback _feedback;
    private readonly float[] _uniforms;
    private readonly HashSet<int> _chord = [];

    /// <summary>
    /// The first previous tone is the start tone (<see cref="ToneEncoding.StartTone"/>); the rows after, the song's
    /// <see cref="ToneFeedback"/>, for a song of <paramref name="timing"/>.
    /// </summary>
    public ToneRow(ulong seed, int steps, float temperature, float topP, float noiseScale, int[]? primer, ToneEncoding model, SongTiming timing)
        : base(seed, (primer?.Length ?? 0) / ToneVocabulary.Heads.Count + steps, noiseScale)
    {
        var vocabulary = model.Vocabulary;
        _sizes = vocabulary.Sizes;
        _widths = [.. _sizes.Select((_, k) => model.LogitWidth(k))];
        _primer = primer;
        _temperature = temperature;
        _timeTemperature = model.TimeTemperature;
        _topP = topP;
        _lengthTemperature = model.LengthTemperature;
        _lengthGivenTime = model.LengthGivenTime;
        _pitchGivenTime = model.PitchGivenTime;
        _lengthBias = model.LengthBias is { } bias ? [.. bias] : [];
        _zeroTime = vocabulary.ZeroTime;
        // A stream of its own, so that the song's own stream, and every tone before the first drawn again, stay as without the rule.
        _redraws = model.AscendingChords && _zeroTime >= 0 ? new Randomness.SeededRandom(seed ^ RedrawStream) : null;
        _feedback = model.Feedback(timing);
        _uniforms = new float[_sizes.Count];
        Result = new int[Steps * _sizes.Count];
    }

    private const ulong RedrawStream = 0x63686F7264UL;

    public int[] Result { get; }

    protected override void WritePrevious(StepBuffers buffers, int slot)
    {
        var previous = _feedback.Previous;
        previous.CopyTo(buffers.PreviousClasses.AsSpan(slot * previous.Length, previous.Length));
    }

    public override void Take(StepBuffers buffers, int slot)
    {
        var heads = _sizes.Count;
        for (var k = 0; k < heads; k++)
            _uniforms[k] = Random.NextSingle();
        var tone = Result.AsSpan(Step * heads, heads);
        if (_primer is not null && (Step + 1) * heads <= _primer.Length)
            _primer.AsSpan(Step * heads, heads).CopyTo(tone);
        else
            ToneSampler.DrawTone(
                Logits(ToneVocabulary.PitchHead),
                Logits(ToneVocabulary.TimeHead),
                Logits(ToneVocabulary.LengthHead),
                _lengthGivenTime,
                Logits(ToneVocabulary.VelocityHead),
                _temperature,
                _lengthTemperature,
                _uniforms,
                _chord.Count >= ToneSampler.MaxChord ? _zeroTime : -1,
                tone,
                _lengthBias,
                _topP,
                _timeTemperature,
                _redraws is not null && Step > 0 ? (_zeroTime, Result[(Step - 1) * heads + ToneVocabulary.PitchHead], _redraws) : null,
                _pitchGivenTime
            );
        if (tone[ToneVocabulary.TimeHead] != _zeroTime)
            _chord.Clear();
        _chord.Add(tone[ToneVocabulary.PitchHead]);
        _feedback.Add(tone);
        Step++;

        ReadOnlySpan<float> Logits(int head) => buffers.Outputs[head].AsSpan(slot * _widths[head], _widths[head]);
    }
}
