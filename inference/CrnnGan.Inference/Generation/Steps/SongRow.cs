using CrnnGan.Inference.Randomness;

namespace CrnnGan.Inference.Generation.Steps;

/// <summary>
/// One song in a step loop: its own seeded draws, its primer and the steps it has made. A row draws from its seed
/// alone, so it makes the same song in a batch of any size, beside any rows, joining the batch at any step.
/// </summary>
internal abstract class SongRow(ulong seed, int steps, float noiseScale)
{
    protected SeededRandom Random { get; } = new(seed);

    /// <summary>Steps to make, the primer's included.</summary>
    public int Steps { get; } = steps;

    /// <summary>Steps made so far.</summary>
    public int Step { get; protected set; }

    public bool Done => Step == Steps;

    /// <summary>Where the row's recurrent state lies in the batch (−1 before it joins).</summary>
    public int Slot { get; set; } = -1;

    /// <summary>Writes this step's inputs at row <paramref name="slot"/>: fresh noise, then the previous step.</summary>
    public void Prepare(StepBuffers buffers, int slot)
    {
        var noise = buffers.Noise.AsSpan(slot * buffers.NoiseSize, buffers.NoiseSize);
        Random.Fill(noise);
        if (noiseScale != 1f)
        {
            foreach (ref var value in noise)
                value = 0.5f + noiseScale * (value - 0.5f);
        }
        WritePrevious(buffers, slot);
    }

    protected abstract void WritePrevious(StepBuffers buffers, int slot);

    /// <summary>Reads this step's outputs at row <paramref name="slot"/> and keeps the step (the primer's, while it lasts).</summary>
    public abstract void Take(StepBuffers buffers, int slot);
}
