using CrnnGan.Inference.Randomness;
using static TorchSharp.torch;

namespace CrnnGan.Training.Training;

/// <summary>A family's songs cut into training windows and batched: what the trainer's loop reads of them.</summary>
public interface IWindows
{
    /// <summary>Songs that give windows.</summary>
    int Count { get; }

    int BatchesPerEpoch(int batchSize);

    /// <summary>
    /// The batches of one epoch of windows <paramref name="length"/> steps long, drawn with <paramref name="random"/>; each
    /// becomes a tensor only when the loop asks, inside the loop's own dispose scope.
    /// </summary>
    IEnumerable<Func<Device, Tensor>> Epoch(int batchSize, int length, SeededRandom random);
}
