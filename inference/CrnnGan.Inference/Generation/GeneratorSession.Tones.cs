using CrnnGan.Inference.Generation.Steps;

namespace CrnnGan.Inference.Generation;

public sealed partial class GeneratorSession
{
    /// <summary>
    /// Runs a tone model's step loop (contract versions 2 and 3) for <paramref name="batch"/> songs and returns their tones
    /// as class indices, [batch, primer tones + <paramref name="steps"/>, heads]. Song i draws from seeds[i] alone:
    /// at each step its noise (spread around 0.5 by <paramref name="noiseScale"/>), then one uniform number per head,
    /// with which <see cref="ToneSampler.DrawTone"/> draws the tone at <paramref name="temperature"/>. A primer,
    /// [primer tones, heads], is fed back in place of the draws of its steps and stands in the result as given.
    /// </summary>
    public int[] RunTones(int batch, int steps, ReadOnlySpan<ulong> seeds, float temperature, float noiseScale, int[]? primer)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        if (seeds.Length != batch)
            throw new ArgumentException($"{seeds.Length} seeds for {batch} songs.", nameof(seeds));
        var rows = new ToneRow[batch];
        for (var i = 0; i < rows.Length; i++)
            rows[i] = ToneRow(seeds[i], steps, temperature, noiseScale, primer);
        RunRows(rows);
        return [.. rows.SelectMany(r => r.Result)];
    }

    /// <summary>A song of a tone model, its arguments checked as <see cref="RunTones"/> documents them.</summary>
    internal ToneRow ToneRow(ulong seed, int steps, float temperature, float noiseScale, int[]? primer)
    {
        if (!Metadata.IsToneModel || Metadata.Vocabulary is not { } vocabulary)
            throw new InvalidOperationException("RunTones needs a model of the tone family (contract version 2 or 3); use Run for the paper's.");
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        var sizes = vocabulary.Sizes;
        if (primer is not null && (primer.Length % sizes.Count != 0 || primer.Where((c, i) => c < 0 || c >= sizes[i % sizes.Count]).Any()))
            throw new ArgumentException($"A primer is whole tones of {sizes.Count} class indices, each within its head's classes.", nameof(primer));
        return new ToneRow(seed, steps, temperature, noiseScale, primer, Metadata);
    }
}
