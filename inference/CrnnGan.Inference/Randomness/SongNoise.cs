namespace CrnnGan.Inference.Randomness;

/// <summary>
/// The noise a song's steps are fed, from the song's own stream: uniform on [0, 1), spread around ½ by a scale (1 as
/// trained, 0 none). Drawn afresh at every step, or, for a model whose noise is the song's (contract version 9), drawn
/// at the first step and fed again at every step after it, so that the song's stream draws nothing more for it.
/// </summary>
public sealed class SongNoise(SeededRandom random, float scale, bool heldForTheSong)
{
    private float[]? _held;

    /// <summary>Writes this step's noise into <paramref name="noise"/>.</summary>
    public void Fill(Span<float> noise)
    {
        if (_held is { } held)
        {
            held.CopyTo(noise);
            return;
        }
        random.Fill(noise);
        if (scale != 1f)
        {
            foreach (ref var value in noise)
                value = 0.5f + scale * (value - 0.5f);
        }
        if (heldForTheSong)
            _held = noise.ToArray();
    }
}
