using CrnnGan.Inference.Features;
using Microsoft.ML.OnnxRuntime;

namespace CrnnGan.Inference.Generation;

public sealed partial class GeneratorSession
{
    /// <summary>
    /// Runs a tone model's step loop (contract version 2) for <paramref name="batch"/> songs and returns their tones
    /// as class indices, [batch, primer tones + <paramref name="steps"/>, heads]. Song i draws from seeds[i] alone:
    /// at each step its noise (spread around 0.5 by <paramref name="noiseScale"/>), then one uniform number per head,
    /// with which <see cref="ToneSampler.DrawTone"/> draws the tone at <paramref name="temperature"/>. A primer,
    /// [primer tones, heads], is fed back in place of the draws of its steps and stands in the result as given.
    /// </summary>
    public int[] RunTones(int batch, int steps, ReadOnlySpan<ulong> seeds, float temperature, float noiseScale, int[]? primer)
    {
        if (!Metadata.IsToneModel || Metadata.Vocabulary is not { } vocabulary)
            throw new InvalidOperationException("RunTones needs a model of the tone family (contract version 2); use Run for the paper's model.");
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        if (seeds.Length != batch)
            throw new ArgumentException($"{seeds.Length} seeds for {batch} songs.", nameof(seeds));
        var sizes = vocabulary.Sizes;
        var heads = sizes.Count;
        if (primer is not null && (primer.Length % heads != 0 || primer.Where((c, i) => c < 0 || c >= sizes[i % heads]).Any()))
            throw new ArgumentException($"A primer is whole tones of {heads} class indices, each within its head's classes.", nameof(primer));
        var (n, layers, h) = (Metadata.NoiseSize, Metadata.Layers, Metadata.HiddenSize);
        var primerSteps = primer is null ? 0 : primer.Length / heads;
        var total = primerSteps + steps;
        var result = new int[batch * total * heads];

        var randoms = new Randomness.SeededRandom[batch];
        for (var i = 0; i < batch; i++)
            randoms[i] = new Randomness.SeededRandom(seeds[i]);

        long[] stateShape = [layers, batch, h];
        var noise = new float[batch * n];
        var previous = new long[batch * heads];
        for (var i = 0; i < previous.Length; i++)
            previous[i] = sizes[i % heads];
        var logits = sizes.Select(size => new float[batch * size]).ToArray();
        var zeros = new float[layers * batch * h];
        var uniforms = new float[heads];
        var zeroTime = vocabulary.TimeBins.ToList().IndexOf(0.0);
        var chords = Enumerable.Range(0, batch).Select(_ => new HashSet<int>()).ToArray();
        ReadOnlySpan<float> Of(int head, int song) => logits[head].AsSpan(song * sizes[head], sizes[head]);

        using var noiseValue = OrtValue.CreateTensorValueFromMemory(noise, [batch, n]);
        using var previousValue = OrtValue.CreateTensorValueFromMemory(previous, [batch, heads]);
        var logitValues = logits.Select((l, k) => OrtValue.CreateTensorValueFromMemory(l, [batch, sizes[k]])).ToArray();
        using var zeroHidden = OrtValue.CreateTensorValueFromMemory(zeros, stateShape);
        using var zeroCell = OrtValue.CreateTensorValueFromMemory((float[])zeros.Clone(), stateShape);
        using var state = new StateBuffers(_session, _stateMemory, stateShape);
        try
        {
            // As in Run: three bindings made once, the state alternating between A and B; the host writes each
            // step's draws into previous_tone, which every binding reads.
            using var start = BindTones(noiseValue, previousValue, zeroHidden, zeroCell, logitValues, state.HiddenA, state.CellA);
            using var odd = BindTones(noiseValue, previousValue, state.HiddenA, state.CellA, logitValues, state.HiddenB, state.CellB);
            using var even = BindTones(noiseValue, previousValue, state.HiddenB, state.CellB, logitValues, state.HiddenA, state.CellA);
            using var runOptions = new RunOptions();
            for (var t = 0; t < total; t++)
            {
                for (var i = 0; i < batch; i++)
                    FillNoise(randoms[i], noise.AsSpan(i * n, n), noiseScale);
                _session.RunWithBinding(
                    runOptions,
                    t == 0 ? start
                        : t % 2 == 1 ? odd
                        : even
                );
                for (var i = 0; i < batch; i++)
                {
                    for (var k = 0; k < heads; k++)
                        uniforms[k] = randoms[i].NextSingle();
                    var tone = result.AsSpan((i * total + t) * heads, heads);
                    if (t < primerSteps)
                        primer.AsSpan(t * heads, heads).CopyTo(tone);
                    else
                        ToneSampler.DrawTone(
                            Of(ToneVocabulary.PitchHead, i),
                            Of(ToneVocabulary.TimeHead, i),
                            Of(ToneVocabulary.LengthHead, i),
                            Of(ToneVocabulary.VelocityHead, i),
                            temperature,
                            uniforms,
                            chords[i].Count >= ToneSampler.MaxChord ? zeroTime : -1,
                            tone
                        );
                    if (tone[ToneVocabulary.TimeHead] != zeroTime)
                        chords[i].Clear();
                    chords[i].Add(tone[ToneVocabulary.PitchHead]);
                    for (var k = 0; k < heads; k++)
                        previous[i * heads + k] = tone[k];
                }
            }
        }
        finally
        {
            foreach (var value in logitValues)
                value.Dispose();
        }
        return result;
    }

    private OrtIoBinding BindTones(
        OrtValue noise,
        OrtValue previous,
        OrtValue hidden,
        OrtValue cell,
        OrtValue[] logits,
        OrtValue hiddenOut,
        OrtValue cellOut
    )
    {
        var binding = _session.CreateIoBinding();
        binding.BindInput(ModelContract.Noise, noise);
        binding.BindInput(ModelContract.PreviousTone, previous);
        binding.BindInput(ModelContract.Hidden, hidden);
        binding.BindInput(ModelContract.Cell, cell);
        for (var k = 0; k < logits.Length; k++)
            binding.BindOutput(ModelContract.Logits(ToneVocabulary.Heads[k]), logits[k]);
        binding.BindOutput(ModelContract.HiddenOut, hiddenOut);
        binding.BindOutput(ModelContract.CellOut, cellOut);
        return binding;
    }
}
