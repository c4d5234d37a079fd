using CrnnGan.Inference.Features;
using CrnnGan.Inference.Music;

namespace CrnnGan.Inference.Tests.Features;

public sealed class StepEncoderTests
{
    private static readonly Tone[] Melody = [new(0.5, 1, 60, 80), new(1.5, 0.5, 64, 90), new(2, 2, 67, 100)];

    private static readonly Tone[] FiveNoteChordThenNote =
    [
        new(0, 1, 48, 60),
        new(0, 1, 55, 61),
        new(0, 1, 60, 62),
        new(0, 1, 64, 63),
        new(0, 1, 67, 64),
        new(1, 0.5, 72, 70),
    ];

    [Fact]
    public void One_tone_per_step_holds_time_since_the_previous_onset_length_pitch_and_velocity()
    {
        var steps = StepEncoder.Encode(Melody, StepLayout.Monophonic);

        Assert.Equal(3, steps.Steps);
        Assert.Equal([0.5f, 1, 60, 80, 1, 0.5f, 64, 90, 0.5f, 2, 67, 100], steps.Values);
    }

    [Fact]
    public void Three_tones_per_step_pack_a_chord_and_spill_the_rest_into_a_step_with_time_delta_zero()
    {
        var steps = StepEncoder.Encode(FiveNoteChordThenNote, StepLayout.Polyphonic3);

        Assert.Equal(10, StepLayout.Polyphonic3.FeaturesPerStep);
        Assert.Equal([0, 1, 48, 60, 1, 55, 61, 1, 60, 62, 0, 1, 64, 63, 1, 67, 64, 0, 0, 0, 1, 0.5f, 72, 70, 0, 0, 0, 0, 0, 0], steps.Values);
    }

    [Fact]
    public void A_chord_in_one_tone_per_step_is_a_run_of_steps_with_time_delta_zero()
    {
        var steps = StepEncoder.Encode(FiveNoteChordThenNote, StepLayout.Monophonic);

        Assert.Equal([0f, 0, 0, 0, 0, 1], Enumerable.Range(0, steps.Steps).Select(s => steps.Step(s)[0]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Decoding_the_encoded_steps_gives_the_tones_back(int tonesPerStep)
    {
        var tones = FiveNoteChordThenNote.Concat(Melody.Select(t => t with { Onset = t.Onset + 4 })).ToList();

        var decoded = StepEncoder.Decode(StepEncoder.Encode(tones, new StepLayout(tonesPerStep)));

        Assert.Equal(tones.OrderBy(t => t.Onset).ThenBy(t => t.Pitch), decoded);
    }

    [Fact]
    public void Decoding_drops_absent_tones_rounds_pitch_and_clamps_what_midi_cannot_hold()
    {
        var steps = new StepSequence(
            StepLayout.Monophonic,
            [
                -1f,
                1,
                60.4f,
                80.6f, // a negative delta counts as 0
                0.5f,
                -2,
                61.6f,
                300, // negative length becomes 0, velocity is capped at 127
                0.5f,
                1,
                0,
                80, // pitch 0: absent
                0.5f,
                1,
                62,
                -3, // velocity below 0: absent
                0.5f,
                1,
                200,
                0.2f, // pitch capped at 127, velocity raised to 1
            ]
        );

        var tones = StepEncoder.Decode(steps, program: 5);

        Assert.Equal([new Tone(0, 1, 60, 81, 1, 5), new Tone(0.5, 0, 62, 127, 1, 5), new Tone(2, 1, 127, 1, 1, 5)], tones);
    }

    [Fact]
    public void A_window_past_the_end_is_padded_with_empty_steps()
    {
        var steps = StepEncoder.Encode(Melody, StepLayout.Monophonic);

        var window = steps.Window(2, 4);

        Assert.Equal(4, window.Steps);
        Assert.Equal([0.5f, 2, 67, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], window.Values);
        Assert.Single(StepEncoder.Decode(window));
    }

    [Theory]
    [InlineData(128)]
    [InlineData(16)]
    [InlineData(1)]
    public void Normalisation_is_inverted_exactly(int pitchDivisor)
    {
        var random = new Random(1611);
        var layout = StepLayout.Polyphonic3;
        var values = Enumerable.Range(0, layout.FeaturesPerStep * 1000).Select(_ => (float)(random.NextDouble() * 300 - 50)).ToArray();
        var scaled = (float[])values.Clone();

        FeatureScaling.Normalise(scaled, FeatureScaling.Factors(layout, pitchDivisor));
        Assert.NotEqual(values, scaled);
        Assert.InRange(scaled[2], -50f / pitchDivisor, 250f / pitchDivisor);
        FeatureScaling.Denormalise(scaled, FeatureScaling.Factors(layout, pitchDivisor));

        Assert.Equal(values, scaled);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(12)]
    [InlineData(256)]
    public void A_pitch_divisor_that_is_not_a_power_of_two_up_to_128_is_refused(int pitchDivisor)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => FeatureScaling.Factors(StepLayout.Monophonic, pitchDivisor));

        Assert.Contains("power of two from 1 to 128", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalised_features_are_of_order_one_and_zero_still_means_no_tone()
    {
        var steps = StepEncoder.Encode(Melody, StepLayout.Monophonic).Values;

        FeatureScaling.Normalise(steps, FeatureScaling.Factors(StepLayout.Monophonic));

        Assert.Equal([0.5f, 1, 60 / 128f, 80 / 128f], steps[..4]);
        Assert.Equal(0f, 0f * FeatureScaling.Factors(StepLayout.Monophonic)[StepLayout.PitchIndex(0)]);
    }

    [Fact]
    public void Feature_names_follow_the_layout()
    {
        Assert.Equal(["time_delta", "length_0", "pitch_0", "velocity_0"], StepLayout.Monophonic.FeatureNames);
        Assert.Equal(10, StepLayout.Polyphonic3.FeatureNames.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepLayout(0));
    }
}
