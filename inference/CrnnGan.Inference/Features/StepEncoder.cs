namespace CrnnGan.Inference.Features;

/// <summary>
/// Tones ↔ model steps, in musical units: time delta and length in quarter notes, pitch as MIDI note number,
/// velocity as MIDI velocity. Tones are taken in onset order, simultaneous tones by ascending pitch; the
/// first step's time delta is the first tone's onset.
/// </summary>
public static class StepEncoder
{
    /// <summary>
    /// The time grid of decoded tones: the resolution MIDI files are written at, so that decoded tones are
    /// exactly what a file holds, and tones whose onsets a model put within a tick of each other sound together.
    /// </summary>
    public const int TicksPerQuarter = 480;

    /// <summary>The tones as steps of <paramref name="layout"/>: tones that start together share a step, up to its tones per step.</summary>
    public static StepSequence Encode(IReadOnlyList<Tone> tones, StepLayout layout)
    {
        var ordered = tones.OrderBy(t => t.Onset).ThenBy(t => t.Pitch).ToList();
        var k = layout.TonesPerStep;
        var values = new List<float>(ordered.Count * layout.FeaturesPerStep);
        var previousOnset = 0.0;
        var i = 0;
        while (i < ordered.Count)
        {
            var onset = ordered[i].Onset;
            values.Add((float)(onset - previousOnset));
            var inStep = 0;
            for (; inStep < k && i < ordered.Count && ordered[i].Onset == onset; inStep++, i++)
            {
                values.Add((float)ordered[i].Duration);
                values.Add(ordered[i].Pitch);
                values.Add(ordered[i].Velocity);
            }
            for (; inStep < k; inStep++)
                values.AddRange([0f, 0f, 0f]);
            previousOnset = onset;
        }
        return new StepSequence(layout, [.. values]);
    }

    /// <summary>
    /// Steps → tones, as the paper decodes: onsets accumulate the time deltas (negative deltas count as 0),
    /// a tone whose pitch or velocity is not above 0 is absent, pitch and velocity round to the nearest
    /// integer within MIDI's range, lengths below 0 become 0. Onsets and lengths then round to the
    /// <see cref="TicksPerQuarter"/> grid.
    /// </summary>
    public static IReadOnlyList<Tone> Decode(StepSequence steps, int program = 0, int channel = 1)
    {
        var tones = new List<Tone>(steps.Steps * steps.Layout.TonesPerStep);
        var onset = 0.0;
        for (var s = 0; s < steps.Steps; s++)
        {
            var step = steps.Step(s);
            onset += Math.Max(0f, step[StepLayout.TimeDeltaIndex]);
            for (var t = 0; t < steps.Layout.TonesPerStep; t++)
            {
                float pitch = step[StepLayout.PitchIndex(t)],
                    velocity = step[StepLayout.VelocityIndex(t)];
                if (!(pitch > 0 && velocity > 0))
                    continue;
                tones.Add(
                    new Tone(
                        OnGrid(onset),
                        OnGrid(Math.Max(0f, step[StepLayout.LengthIndex(t)])),
                        (int)Math.Clamp(Math.Round(pitch), 0, 127),
                        (int)Math.Clamp(Math.Round(velocity), 1, 127),
                        channel,
                        program
                    )
                );
            }
        }
        tones.Sort((a, b) => (a.Onset, a.Pitch).CompareTo((b.Onset, b.Pitch)));
        return tones;
    }

    /// <summary>
    /// The tones of <paramref name="songs"/> songs that a model generated together, their steps one song after
    /// another in model units (musical × <paramref name="featureScale"/>). The values become musical units in place. Each
    /// song's doublings are merged and a key struck again is released first (<see cref="Restrikes"/>), so that it is
    /// what its MIDI file holds.
    /// </summary>
    public static List<IReadOnlyList<Tone>> DecodeModelSteps(
        float[] modelSteps,
        int songs,
        StepLayout layout,
        IReadOnlyList<float> featureScale,
        int program = 0
    )
    {
        FeatureScaling.Denormalise(modelSteps, featureScale);
        var width = modelSteps.Length / songs;
        return
        [
            .. Enumerable
                .Range(0, songs)
                .Select(i => Restrikes.Release(Decode(new StepSequence(layout, modelSteps[(i * width)..((i + 1) * width)]), program)))
                .Cast<IReadOnlyList<Tone>>(),
        ];
    }

    private static double OnGrid(double quarters) => Math.Round(quarters * TicksPerQuarter, MidpointRounding.AwayFromZero) / TicksPerQuarter;
}
