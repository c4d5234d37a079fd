using CrnnGan.Inference.Randomness;
using static TorchSharp.torch;

namespace CrnnGan.Training.Training;

/// <summary>
/// Songs as the tone family's class indices, cut into training windows of whole tones. Each epoch every song
/// gives one window at a random start; songs are shuffled and grouped into batches, the last, partial batch
/// dropped. With key normalisation each window is transposed to C major / A minor by its own best-fitting
/// scale (a song that changes key is normalised where the window is). Songs shorter than a window are left
/// out, since padding would teach tones no song has.
/// </summary>
public sealed class ToneWindows : IWindows
{
    private const int Heads = 4;

    /// <summary>A window's columns per tone: its four class indices, then where its onset falls in the bar.</summary>
    public const int Columns = Heads + 1;

    private readonly int[][] _songs;
    private readonly int[][] _positions;
    private readonly bool _keyNormalisation;

    public ToneWindows(IEnumerable<Song> songs, ToneVocabulary vocabulary, int length, bool keyNormalisation)
    {
        _keyNormalisation = keyNormalisation;
        _songs = [.. songs.Select(song => vocabulary.Encode(song.Tones)).Where(indices => indices.Length >= length * Heads)];
        _positions = [.. _songs.Select(song => vocabulary.BarPositions(song))];
        Length = length;
    }

    public int Count => _songs.Length;

    public int Length { get; }

    public int BatchesPerEpoch(int batchSize) => _songs.Length / batchSize;

    /// <summary>As <see cref="IWindows.Epoch"/>; every window is <see cref="Length"/> tones long, as the windows were cut.</summary>
    public IEnumerable<Func<Device, Tensor>> Epoch(int batchSize, int length, SeededRandom random) =>
        Batches(batchSize, random).Select(batch => (Func<Device, Tensor>)(device => ToTensor(batch, Length, device)));

    /// <summary>
    /// A batch as a tensor [batch, length, <see cref="Columns"/>]: each tone's class indices, then its onset's place in the
    /// bar (<see cref="ToneVocabulary.BarPositions"/>, from the song's start).
    /// </summary>
    public static Tensor ToTensor(long[] batch, int length, Device device) =>
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
        for (var t = 0; t < Length; t++)
        {
            for (var k = 0; k < Heads; k++)
                destination[t * Columns + k] = window[t * Heads + k];
            destination[t * Columns + ToneVocabulary.PitchHead] = Math.Clamp(pitches[t] + shift, 0, ToneVocabulary.Pitches - 1);
            destination[t * Columns + Heads] = _positions[song][start + t];
        }
    }
}
