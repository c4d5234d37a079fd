namespace CrnnGan.Inference.Generation.Encodings;

/// <summary>
/// What a tone model reads of one song's past at each step, its previous_tone row (<see cref="ToneEncoding"/>):
/// the tone before as class indices; from contract version 4 where that tone started in its bar; from version 5 a
/// lookback (as Magenta's Lookback RNN, over tones rather than sixteenth steps) for each of the last
/// <see cref="ToneEncoding.LookbackBars"/> bars. For the bar n bars ago, three columns:
/// <list type="bullet">
/// <item>the pitch of the tone that came next n bars earlier: after the tone that sounded exactly n bars before the tone
/// before, at its place in its chord, or else the first tone after that moment (128: none);</item>
/// <item>how long after that moment it started, in 1/48-quarter steps (0 to 191, 192 for a bar or more; 193: none), so
/// that playing it again is drawing the time class of that many steps;</item>
/// <item>whether the tone before repeats the tone n bars before it (0: no tone then at that place in a chord; 1: another
/// pitch; 2: the same).</item>
/// </list>
/// From version 6 the row's last column is the song's <see cref="SongTiming"/>, the same at every step.
/// The moment before the song's start (or a training window's) has nothing to look back on: none. Training windows and
/// the host both build these rows here, so that what the model learns from is what it is given.
/// </summary>
public sealed class ToneFeedback
{
    /// <summary>The lookback's columns for each bar: next pitch, next offset, repeat (<see cref="ColumnValues"/>).</summary>
    public const int ColumnsPerBar = 3;

    /// <summary>The next pitch's "none" (one past the pitches).</summary>
    public const int NoPitch = ToneVocabulary.Pitches;

    /// <summary>The next offset for a bar or more.</summary>
    public const int BarOrMore = ToneVocabulary.BarSteps;

    /// <summary>The next offset's "none".</summary>
    public const int NoOffset = BarOrMore + 1;

    /// <summary>The values the repeat column takes: no tone then at that place, another pitch, the same.</summary>
    public const int RepeatValues = 3;

    /// <summary>How many values each of a bar's lookback columns takes, in column order: next pitch, next offset, repeat.</summary>
    public static IReadOnlyList<int> ColumnValues { get; } = [NoPitch + 1, NoOffset + 1, RepeatValues];

    private readonly ToneEncoding _encoding;
    private readonly IReadOnlyList<int> _timeSteps;
    private readonly int _heads = ToneVocabulary.Heads.Count;
    private readonly long _origin;
    private readonly List<long> _onsets = [];
    private readonly List<int> _pitches = [];
    private readonly int[] _atOrAfter;
    private readonly int[] _after;
    private long _onset;
    private int _chordStart;

    /// <summary>
    /// A song's feedback from its start tone, the moment before its first tone <paramref name="startPosition"/> steps into
    /// its bar: 0 for a generated song; a training window's tones keep their places in their song's bars. The start tone
    /// itself is always at the start of a bar, as generation starts. A model that reads its song's timing reads
    /// <paramref name="timing"/>.
    /// </summary>
    public ToneFeedback(ToneEncoding encoding, int startPosition = 0, SongTiming timing = SongTiming.Metered)
    {
        _encoding = encoding;
        _timeSteps = encoding.Vocabulary.TimeSteps;
        _origin = _onset = startPosition;
        _atOrAfter = new int[encoding.LookbackBars];
        _after = new int[encoding.LookbackBars];
        Previous = encoding.StartTone;
        if (encoding.Timing)
            Previous[^1] = (long)timing;
    }

    /// <summary>Where the tone before started, in steps of the 1/48-quarter grid from its song's first bar (the start tone's: its origin).</summary>
    public long Onset => _onset;

    /// <summary>The row the next step reads, <see cref="ToneEncoding.PreviousWidth"/> wide: the start tone's until a tone is added.</summary>
    public long[] Previous { get; }

    /// <summary>
    /// Moves on by one tone (its class indices): it becomes the tone before. It starts its time class after the tone before, or,
    /// for a training window read at its tones' own onsets, at <paramref name="onset"/> (grid steps from the first bar's start).
    /// </summary>
    public void Add(ReadOnlySpan<int> tone, long? onset = null)
    {
        var time = _timeSteps[tone[ToneVocabulary.TimeHead]];
        if (time > 0 || _onsets.Count == 0)
            _chordStart = _onsets.Count;
        _onset = onset ?? _onset + time;
        _onsets.Add(_onset);
        _pitches.Add(tone[ToneVocabulary.PitchHead]);
        for (var k = 0; k < _heads; k++)
            Previous[k] = tone[k];
        if (!_encoding.BarPosition)
            return;
        Previous[ToneEncoding.PositionColumn] = _onset % ToneVocabulary.BarSteps;
        for (var bars = 1; bars <= _encoding.LookbackBars; bars++)
            LookBack(bars, Previous.AsSpan(_heads + 1 + (bars - 1) * ColumnsPerBar, ColumnsPerBar));
    }

    private void LookBack(int bars, Span<long> columns)
    {
        var moment = _onset - bars * (long)ToneVocabulary.BarSteps;
        ref var atOrAfter = ref _atOrAfter[bars - 1];
        ref var after = ref _after[bars - 1];
        // Both only move forward, as the moment does: a song's lookback costs O(1) a tone.
        while (_onsets[atOrAfter] < moment)
            atOrAfter++;
        after = Math.Max(after, atOrAfter);
        while (_onsets[after] <= moment)
            after++;
        var place = atOrAfter + (_onsets.Count - 1 - _chordStart);
        var next = place + 1 < after ? place + 1 : after;
        var known = moment >= _origin && next < _chordStart;
        columns[0] = known ? _pitches[next] : NoPitch;
        columns[1] = known ? Math.Min(_onsets[next] - moment, BarOrMore) : NoOffset;
        columns[2] =
            moment < _origin || place >= after ? 0
            : _pitches[place] == _pitches[^1] ? 2
            : 1;
    }
}
