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
    private readonly int[][] _songs;
    private readonly bool _keyNormalisation;

    public ToneWindows(IEnumerable<Song> songs, ToneVocabulary vocabulary, int length, bool keyNormalisation)
    {
        _keyNormalisation = keyNormalisation;
        _songs = [.. songs.Select(song => vocabulary.Encode(song.Tones)).Where(indices => indices.Length >= length * Heads)];
        Length = length;
    }

    public int Count => _songs.Length;

    public int Length { get; }

    public int BatchesPerEpoch(int batchSize) => _songs.Length / batchSize;

    /// <summary>As <see cref="IWindows.Epoch"/>; every window is <see cref="Length"/> tones long, as the windows were cut.</summary>
    public IEnumerable<Func<Device, Tensor>> Epoch(int batchSize, int length, SeededRandom random) =>
        Batches(batchSize, random).Select(batch => (Func<Device, Tensor>)(device => ToTensor(batch, Length, device)));

    /// <summary>A batch as a tensor of class indices [batch, length, heads].</summary>
    public static Tensor ToTensor(long[] batch, int length, Device device) =>
        tensor(batch, [batch.Length / (length * Heads), length, Heads], device: device);

    /// <summary>The batches of one epoch, each [batch, length, heads] as a flat array, drawn with <paramref name="random"/>.</summary>
    public IEnumerable<long[]> Batches(int batchSize, SeededRandom random)
    {
        var order = Enumerable.Range(0, _songs.Length).ToList();
        random.Shuffle(order);
        var starts = order.Select(i => random.NextInt(_songs[i].Length / Heads - Length + 1)).ToList();
        for (var b = 0; b + batchSize <= order.Count; b += batchSize)
        {
            var batch = new long[batchSize * Length * Heads];
            for (var i = 0; i < batchSize; i++)
                CopyWindow(order[b + i], starts[b + i], batch.AsSpan(i * Length * Heads, Length * Heads));
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
        for (var i = 0; i < window.Length; i++)
            destination[i] = window[i];
        for (var t = 0; t < Length; t++)
            destination[t * Heads + ToneVocabulary.PitchHead] = Math.Clamp(pitches[t] + shift, 0, ToneVocabulary.Pitches - 1);
    }
}
