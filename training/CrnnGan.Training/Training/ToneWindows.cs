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
/// that reads its song's timing reads that of the whole song the window was cut from.
/// </summary>
public sealed class ToneWindows : IWindows
{
    private const int Heads = 4;

    private readonly ToneEncoding _encoding;
    private readonly int[][] _songs;
    private readonly int[][] _positions;
    private readonly SongTiming[] _timings;
    private readonly bool _keyNormalisation;

    /// <summary>Windows of <paramref name="length"/> tones, their rows as <paramref name="encoding"/>'s previous tones.</summary>
    public ToneWindows(IEnumerable<Song> songs, ToneEncoding encoding, int length, bool keyNormalisation)
    {
        _encoding = encoding;
        _keyNormalisation = keyNormalisation;
        var kept = songs
            .Select(song => (Indices: encoding.Vocabulary.Encode(song.Tones), Timing: OnsetPosition.Timing(song.Tones)))
            .Where(song => song.Indices.Length >= length * Heads)
            .ToList();
        _songs = [.. kept.Select(song => song.Indices)];
        _timings = [.. kept.Select(song => song.Timing)];
        _positions = [.. _songs.Select(song => encoding.Vocabulary.BarPositions(song))];
        Length = length;
    }

    /// <summary>A window's columns per tone: its class indices first, then the rest of what the generator reads after it.</summary>
    public int Columns => _encoding.PreviousWidth;

    public int Count => _songs.Length;

    public int Length { get; }

    public int BatchesPerEpoch(int batchSize) => _songs.Length / batchSize;

    /// <summary>As <see cref="IWindows.Epoch"/>; every window is <see cref="Length"/> tones long, as the windows were cut.</summary>
    public IEnumerable<Func<Device, Tensor>> Epoch(int batchSize, int length, SeededRandom random) =>
        Batches(batchSize, random).Select(batch => (Func<Device, Tensor>)(device => ToTensor(batch, Length, device)));

    /// <summary>
    /// A batch as a tensor [batch, length, <see cref="Columns"/>]: each tone's class indices, then its onset's place in the
    /// bar (<see cref="ToneVocabulary.BarPositions"/>, from the song's start) and its lookback, as the encoding has them.
    /// </summary>
    public Tensor ToTensor(long[] batch, int length, Device device) =>
        tensor(batch, [batch.Length / (length * Columns), length, Columns], device: device);

    /// <summary>The batches of one epoch, each [batch, length, columns] as a flat array, drawn with <paramref name="random"/>.</summary>
    public IEnumerable<long[]> Batches(int batchSize, SeededRandom random)
    {
        var order = Enumerable.Range(0, _songs.Length).ToList();
        random.Shuffle(order);
        var starts = order.Select(i => random.NextInt(_songs[i].Length / Heads - Length + 1)).ToList();
        for (var b = 0; b + batchSize <= order.Count; b += batchSize)
        {
            var batch = new long[batchSize * Length * Columns];
            for (var i = 0; i < batchSize; i++)
                CopyWindow(order[b + i], starts[b + i], batch.AsSpan(i * Length * Columns, Length * Columns));
            yield return batch;
        }
    }

    private void CopyWindow(int song, int start, Span<long> destination)
    {
        var window = _songs[song].AsSpan(start * Heads, Length * Heads);
        Span<int> pitches = stackalloc int[Length];
        for (var t = 0; t < Length; t++)
            pitches[t] = window[t * Heads + ToneVocabulary.PitchHead];
        var shift = _keyNormalisation ? Scale.BestFit(pitches).ShiftToC : 0;
        var feedback = new ToneFeedback(_encoding, start > 0 ? _positions[song][start - 1] : 0, _timings[song]);
        Span<int> tone = stackalloc int[Heads];
        for (var t = 0; t < Length; t++)
        {
            window.Slice(t * Heads, Heads).CopyTo(tone);
            tone[ToneVocabulary.PitchHead] = Math.Clamp(pitches[t] + shift, 0, ToneVocabulary.Pitches - 1);
            feedback.Add(tone);
            feedback.Previous.CopyTo(destination.Slice(t * Columns, Columns));
        }
    }
}
