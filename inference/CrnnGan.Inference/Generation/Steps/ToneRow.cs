using CrnnGan.Inference.Generation.Encodings;

namespace CrnnGan.Inference.Generation.Steps;

/// <summary>
/// A song of the tone family (contract versions 2 to 9): its tones as class indices, [steps, heads]. Before each step
/// the row draws one uniform number per head (after the step's noise); after it, its tone by <see cref="ToneSampler.DrawTone"/>
/// (with ascending chords, a tone out of the chord's order is drawn again from a stream of its own). A step that draws the time
/// (version 8) is fed the time's uniform number, temperature and nucleus, the time class closed and the model's time bias (with a
/// bias by place, the row for where the tone before fell in its quarter note), and the row takes its draw.
/// </summary>
internal sealed class ToneRow : SongRow
{
    private readonly IReadOnlyList<int> _sizes;
    private readonly bool _lengthGivenTime;
    private readonly bool _pitchGivenTime;
    private readonly bool _timeInStep;
    private readonly int[]? _primer;
    private readonly float _temperature;
    private readonly float? _timeTemperature;
    private readonly float _topP;
    private readonly float _lengthTemperature;
    private readonly float[] _lengthBias;
    private readonly float[][] _timeBiases;
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
        : base(seed, (primer?.Length ?? 0) / ToneVocabulary.Heads.Count + steps, noiseScale, model.SongNoise)
    {
        var vocabulary = model.Vocabulary;
        _sizes = vocabulary.Sizes;
        _primer = primer;
        _temperature = temperature;
        _timeTemperature = model.TimeTemperature;
        _topP = topP;
        _lengthTemperature = model.LengthTemperature;
        _lengthGivenTime = model.RowPerTime(ToneVocabulary.LengthHead);
        _pitchGivenTime = model.RowPerTime(ToneVocabulary.PitchHead);
        _timeInStep = model.TimeInStep;
        _lengthBias = model.LengthBias is { } bias ? [.. bias] : [];
        _timeBiases = _timeInStep ? TimeBiases(model, timing) : [];
        _zeroTime = vocabulary.ZeroTime;
        // A stream of its own, so that the song's own stream, and every tone before the first drawn again, stay as without the rule.
        _redraws = model.AscendingChords && _zeroTime >= 0 ? new Randomness.SeededRandom(seed ^ RedrawStream) : null;
        _feedback = model.Feedback(timing);
        _uniforms = new float[_sizes.Count];
        Result = new int[Steps * _sizes.Count];
    }

    private const ulong RedrawStream = 0x63686F7264UL;

    /// <summary>
    /// The time bias of each place of the tone before in its quarter note: the model's, plus its row by place for the song's timing.
    /// </summary>
    private static float[][] TimeBiases(ToneEncoding model, SongTiming timing)
    {
        var bins = model.Vocabulary.TimeBins.Count;
        var bias = model.TimeBias?.ToArray() ?? new float[bins];
        if (model.TimeBiasByPlace is not { } byPlace)
            return [bias];
        return
        [
            .. Enumerable
                .Range(0, ToneEncoding.TimeBiasPlaces)
                .Select(place =>
                {
                    var row = (model.TimeBiasRow(timing, 0) + place) * bins;
                    return bias.Select((b, i) => b + byPlace[row + i]).ToArray();
                }),
        ];
    }

    public int[] Result { get; }

    /// <summary>The time class closed to the next tone: the time 0 once the chord holds <see cref="ToneSampler.MaxChord"/> keys.</summary>
    private int ClosedTime => _chord.Count >= ToneSampler.MaxChord ? _zeroTime : -1;

    protected override void WritePrevious(StepBuffers buffers, int slot)
    {
        for (var k = 0; k < _uniforms.Length; k++)
            _uniforms[k] = Random.NextSingle();
        _feedback.Previous.CopyTo(buffers.Inputs[0].Row<long>(slot));
        if (!_timeInStep)
            return;
        var draw = buffers.Inputs[1].Row<float>(slot);
        (draw[0], draw[1], draw[2]) = (_uniforms[ToneVocabulary.TimeHead], _timeTemperature ?? _temperature, _topP);
        buffers.Inputs[2].Row<long>(slot)[0] = ClosedTime;
        var place = _timeBiases.Length == 1 ? 0 : ToneEncoding.PlaceInQuarter(_feedback.Onset);
        _timeBiases[place].CopyTo(buffers.Inputs[3].Row<float>(slot));
    }

    public override void Take(StepBuffers buffers, int slot)
    {
        var heads = _sizes.Count;
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
                ClosedTime,
                tone,
                _lengthBias,
                _topP,
                _timeTemperature,
                _redraws is not null && Step > 0 ? (_zeroTime, Result[(Step - 1) * heads + ToneVocabulary.PitchHead], _redraws) : null,
                _pitchGivenTime,
                _timeInStep ? (int)buffers.Outputs[heads].Row<long>(slot)[0] : null
            );
        if (tone[ToneVocabulary.TimeHead] != _zeroTime)
            _chord.Clear();
        _chord.Add(tone[ToneVocabulary.PitchHead]);
        _feedback.Add(tone);
        Step++;

        ReadOnlySpan<float> Logits(int head) => buffers.Outputs[head].Row<float>(slot);
    }
}
