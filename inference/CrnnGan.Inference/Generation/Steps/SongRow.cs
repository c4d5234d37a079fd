using CrnnGan.Inference.Randomness;

namespace CrnnGan.Inference.Generation.Steps;

/// <summary>
/// One song in a step loop: its own seeded draws, its primer and the steps it has made. A row draws from its seed
/// alone, so it makes the same song in a batch of any size, beside any rows, joining the batch at any step.
/// </summary>
internal abstract class SongRow
{
    private readonly SongNoise _noise;

    /// <param name="heldNoise">The model's noise is the song's (contract version 9): drawn at the first step, fed at every step.</param>
    protected SongRow(ulong seed, int steps, float noiseScale, bool heldNoise = false)
    {
        Random = new SeededRandom(seed);
        Steps = steps;
        _noise = new SongNoise(Random, noiseScale, heldNoise);
    }

    protected SeededRandom Random { get; }

    /// <summary>Steps to make, the primer's included.</summary>
    public int Steps { get; }

    /// <summary>Steps made so far.</summary>
    public int Step { get; protected set; }

    public bool Done => Step == Steps;

    /// <summary>Where the row's recurrent state lies in the batch (−1 before it joins).</summary>
    public int Slot { get; set; } = -1;

    /// <summary>Writes this step's inputs at row <paramref name="slot"/>: its noise, then the previous step.</summary>
    public void Prepare(StepBuffers buffers, int slot)
    {
        _noise.Fill(buffers.Noise.AsSpan(slot * buffers.NoiseSize, buffers.NoiseSize));
        WritePrevious(buffers, slot);
    }

    protected abstract void WritePrevious(StepBuffers buffers, int slot);

    /// <summary>Reads this step's outputs at row <paramref name="slot"/> and keeps the step (the primer's, while it lasts).</summary>
    public abstract void Take(StepBuffers buffers, int slot);
}
