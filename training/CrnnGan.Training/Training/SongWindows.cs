using CrnnGan.Inference.Randomness;
using static TorchSharp.torch;

namespace CrnnGan.Training.Training;

/// <summary>
/// Songs as normalised step sequences, cut into training windows. Each epoch every song gives one window
/// at a random start (songs shorter than a window are padded with empty steps), the songs are shuffled and
/// grouped into batches; the last, partial batch is dropped, as in the reference.
/// </summary>
public sealed class SongWindows : IWindows
{
    private readonly float[][] _songs;
    private readonly int _features;

    public SongWindows(IEnumerable<Song> songs, ModelSettings model)
    {
        var (layout, scale) = (model.Layout, model.FeatureScale);
        _features = layout.FeaturesPerStep;
        _songs =
        [
            .. songs.Select(song =>
            {
                var values = StepEncoder.Encode(song.Tones, layout).Values;
                FeatureScaling.Normalise(values, scale);
                return values;
            }),
        ];
    }

    public int Count => _songs.Length;

    public int Features => _features;

    public Tensor ToTensor(float[] batch, int length, Device device) =>
        tensor(batch, [batch.Length / (length * _features), length, _features], device: device);

    public int BatchesPerEpoch(int batchSize) => _songs.Length / batchSize;

    public IEnumerable<Func<Device, Tensor>> Epoch(int batchSize, int length, SeededRandom random) =>
        Batches(batchSize, length, random).Select(batch => (Func<Device, Tensor>)(device => ToTensor(batch, length, device)));

    /// <summary>
    /// The batches of one epoch, each [batch, length, features] as a flat array, drawn with
    /// <paramref name="random"/>; the caller makes the tensor inside its own dispose scope.
    /// </summary>
    public IEnumerable<float[]> Batches(int batchSize, int length, SeededRandom random)
    {
        var order = Enumerable.Range(0, _songs.Length).ToList();
        random.Shuffle(order);
        var starts = order.Select(i => random.NextInt(Math.Max(1, Steps(i) - length + 1))).ToList();
        for (var b = 0; b + batchSize <= order.Count; b += batchSize)
        {
            var batch = new float[batchSize * length * _features];
            for (var i = 0; i < batchSize; i++)
                CopyWindow(order[b + i], starts[b + i], length, batch.AsSpan(i * length * _features, length * _features));
            yield return batch;
        }
    }

    private int Steps(int song) => _songs[song].Length / _features;

    private void CopyWindow(int song, int start, int length, Span<float> destination)
    {
        var available = Math.Clamp(Steps(song) - start, 0, length);
        _songs[song].AsSpan(start * _features, available * _features).CopyTo(destination);
        destination[(available * _features)..].Clear();
    }
}
