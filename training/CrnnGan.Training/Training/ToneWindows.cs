using CrnnGan.Inference.Randomness;
using CrnnGan.Inference.Statistics;
using static TorchSharp.torch;

namespace CrnnGan.Training.Training;

/// <summary>
/// Songs as the tone family's class indices, cut into training windows of whole tones. Each epoch every song
/// gives one window at a random start; songs are shuffled and grouped into batches, the last, partial batch
/// dropped. With key normalisation each window is transposed to C major / A minor by its own best-fitting
/// scale (a song that changes key is normalised where the window is). Songs shorter than a window are left
/// out, since padding would teach tones no song has. Each tone's row is what the generator reads after it, as
/// <see cref="ToneFeedback"/> builds it when generating, from the window's tones alone: the window starts a song. A model
/// that reads its song's timing reads that of the whole song the window was cut from. In a share of the metered songs'
/// windows (<see cref="TrainingSettings.RecoveryWindows"/>) the rows read as if one onset strayed from the grid, and the
/// next tone's time to learn is the one that comes back (<see cref="Stray"/>); the stray is read, never taught, and the
/// song's own tones, which the discriminator reads, are unchanged. With onset places the rows' bar places and lookback are read
/// from the tones' own onsets (<see cref="TrainingSettings.OnsetPlaces"/>); otherwise from their time classes added up.
/// </summary>
public sealed class ToneWindows : IWindows
{
    private const int Heads = 4;

    private readonly ToneEncoding _encoding;
    private readonly int[][] _songs;
    private readonly long[][] _onsets;
    private readonly SongTiming[] _timings;
    private readonly bool _keyNormalisation;
    private readonly double _recovery;
    private readonly IReadOnlyList<int> _timeSteps;
    private readonly Dictionary<int, int> _timeClasses;

    /// <summary>
    /// Windows of <paramref name="length"/> tones, their rows as <paramref name="encoding"/>'s previous tones; a share
    /// <paramref name="recovery"/> of the metered songs' windows stray and come back; with <paramref name="onsetPlaces"/> the rows'
    /// places read from the tones' own onsets.
    /// </summary>
    public ToneWindows(
        IEnumerable<Song> songs,
        ToneEncoding encoding,
        int length,
        bool keyNormalisation,
        double recovery = 0,
        bool onsetPlaces = false
    )
    {
        _encoding = encoding;
        _keyNormalisation = keyNormalisation;
        _recovery = recovery;
        _timeSteps = encoding.Vocabulary.TimeSteps;
        _timeClasses = _timeSteps.Select((steps, c) => (steps, c)).ToDictionary(p => p.steps, p => p.c);
        var vocabulary = encoding.Vocabulary;
        var kept = songs
            .Select(song => (Song: song, Ordered: vocabulary.Ordered(song.Tones)))
            .Select(song => (song.Song, song.Ordered, Indices: vocabulary.EncodeOrdered(song.Ordered)))
            .Where(song => song.Indices.Length >= length * Heads)
            .ToList();
        _songs = [.. kept.Select(song => song.Indices)];
        _timings = [.. kept.Select(song => OnsetPosition.Timing(song.Song.Tones))];
        _onsets = [.. kept.Select(song => onsetPlaces ? ToneVocabulary.GridOnsets(song.Ordered) : vocabulary.Onsets(song.Indices))];
        Length = length;
    }

    /// <summary>What the generator reads after a tone: its class indices first, then the rest.</summary>
    public int Columns => _encoding.PreviousWidth;

    /// <summary>
    /// A window's columns per tone: the song's tone (its class indices), the time class to learn for it (the song's, but the
    /// way back after a stray), then the row read after it (<see cref="Columns"/>).
    /// </summary>
    public int Width => Heads + 1 + Columns;

    public int Count => _songs.Length;

    public int Length { get; }

    public int BatchesPerEpoch(int batchSize) => _songs.Length / batchSize;

    /// <summary>As <see cref="IWindows.Epoch"/>; every window is <see cref="Length"/> tones long, as the windows were cut.</summary>
    public IEnumerable<Func<Device, Tensor>> Epoch(int batchSize, int length, SeededRandom random) =>
        Batches(batchSize, random).Select(batch => (Func<Device, Tensor>)(device => ToTensor(batch, Length, device)));

    /// <summary>
    /// A batch as a tensor [batch, length, <see cref="Width"/>]: each tone's class indices, its time class to learn, then the
    /// row read after it: the class indices read, its onset's place in the bar (<see cref="ToneVocabulary.BarPositions"/>,
    /// from the song's start), its lookback and its song's timing, as the encoding has them.
    /// </summary>
    public Tensor ToTensor(long[] batch, int length, Device device) =>
        tensor(batch, [batch.Length / (length * Width), length, Width], device: device);

    /// <summary>The batches of one epoch, each [batch, length, <see cref="Width"/>] as a flat array, drawn with <paramref name="random"/>.</summary>
    public IEnumerable<long[]> Batches(int batchSize, SeededRandom random)
    {
        var order = Enumerable.Range(0, _songs.Length).ToList();
        random.Shuffle(order);
        var starts = order.Select(i => random.NextInt(_songs[i].Length / Heads - Length + 1)).ToList();
        for (var b = 0; b + batchSize <= order.Count; b += batchSize)
        {
            var batch = new long[batchSize * Length * Width];
            for (var i = 0; i < batchSize; i++)
                CopyWindow(order[b + i], starts[b + i], batch.AsSpan(i * Length * Width, Length * Width), random);
            yield return batch;
        }
    }

    private void CopyWindow(int song, int start, Span<long> destination, SeededRandom random)
    {
        var origin = start > 0 ? _onsets[song][start - 1] : 0;
        var startPosition = (int)(origin % ToneVocabulary.BarSteps);
        ReadOnlySpan<int> window = _songs[song].AsSpan(start * Heads, Length * Heads);
        var read = window;
        var strayed = -1;
        if (_recovery > 0 && _timings[song] == SongTiming.Metered && random.NextDouble() < _recovery)
        {
            var moved = window.ToArray();
            strayed = Stray(moved, startPosition, random);
            read = moved;
        }
        Span<int> pitches = stackalloc int[Length];
        for (var t = 0; t < Length; t++)
            pitches[t] = window[t * Heads + ToneVocabulary.PitchHead];
        var shift = _keyNormalisation ? Scale.BestFit(pitches).ShiftToC : 0;
        var pitch = ToneVocabulary.PitchHead;
        var feedback = new ToneFeedback(_encoding, startPosition, _timings[song]);
        Span<int> tone = stackalloc int[Heads];
        var strayedBy = 0L; // how far a stray moved the onset read from the song's
        for (var t = 0; t < Length; t++)
        {
            var row = destination.Slice(t * Width, Width);
            for (var k = 0; k < Heads; k++)
                row[k] = window[t * Heads + k];
            row[pitch] = Math.Clamp(pitches[t] + shift, 0, ToneVocabulary.Pitches - 1);
            // The stray itself is learnt at the song's time; the tone after it at the time that comes back.
            var time = read[t * Heads + ToneVocabulary.TimeHead];
            row[Heads] = t == strayed ? row[ToneVocabulary.TimeHead] : time;
            read.Slice(t * Heads, Heads).CopyTo(tone);
            tone[pitch] = (int)row[pitch];
            strayedBy += _timeSteps[tone[ToneVocabulary.TimeHead]] - _timeSteps[window[t * Heads + ToneVocabulary.TimeHead]];
            feedback.Add(tone, _onsets[song][start + t] - origin + startPosition + strayedBy);
            feedback.Previous.CopyTo(row[(Heads + 1)..]);
        }
    }

    /// <summary>
    /// Moves one onset of a melody off the sixteenth grid and brings the next back: a tone t on the grid whose time and the
    /// next tone's are above 0, drawn at random, starts 1 to 11 steps earlier or later, and the next tone's time takes
    /// the move back, so that it and every tone after it stand where the song has them. What follows a stray onset is
    /// what real songs, which do not stray, never show, and what a generated song that strays needs: the way back. Only
    /// the rows read are moved: tone t is still learnt at its own time, and tone t + 1 at the time that comes back.
    /// Both times must be classes of the vocabulary; a window with no such tone stays as it is. Returns t, or -1.
    /// </summary>
    private int Stray(Span<int> window, int startPosition, SeededRandom random)
    {
        var time = ToneVocabulary.TimeHead;
        var places = new List<int>();
        var onset = startPosition;
        for (var t = 0; t + 1 < Length; t++)
        {
            var (steps, next) = (_timeSteps[window[t * Heads + time]], _timeSteps[window[(t + 1) * Heads + time]]);
            onset += steps;
            if (steps > 0 && next > 0 && onset % ToneVocabulary.SixteenthSteps == 0 && Moves(steps, next).Any())
                places.Add(t);
        }
        if (places.Count == 0)
            return -1;
        var at = places[random.NextInt(places.Count)];
        var (from, to) = (_timeSteps[window[at * Heads + time]], _timeSteps[window[(at + 1) * Heads + time]]);
        var moves = Moves(from, to).ToList();
        var move = moves[random.NextInt(moves.Count)];
        window[at * Heads + time] = _timeClasses[from + move];
        window[(at + 1) * Heads + time] = _timeClasses[to - move];
        return at;
    }

    /// <summary>The moves, 1 to 11 steps either way, that leave both times above 0 and classes of the vocabulary.</summary>
    private IEnumerable<int> Moves(int steps, int next) =>
        Enumerable
            .Range(1 - ToneVocabulary.SixteenthSteps, 2 * ToneVocabulary.SixteenthSteps - 1)
            .Where(m => m != 0 && steps + m > 0 && next - m > 0 && _timeClasses.ContainsKey(steps + m) && _timeClasses.ContainsKey(next - m));
}
