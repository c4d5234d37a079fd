using CrnnGan.Inference.Generation;
using CrnnGan.Inference.Generation.Encodings;
using CrnnGan.TestSupport;

namespace CrnnGan.Inference.Tests.Generation;

/// <summary>
/// A model that looks back on the last two bars (contract version 5), served by the same generation loop (its songs through
/// the scheduler: <see cref="StepSchedulerTests"/>).
/// </summary>
public sealed class LookbackGenerationTests : IDisposable
{
    // The fixture's time bins are 0, 1/4, 1/2 and 1 quarter: classes 0 to 3 of 0, 12, 24 and 48 steps of a 192-step bar.
    private const int Chord = 0;
    private const int Quarter = 3;

    private readonly GeneratorSession _session = GeneratorSession.Open(
        FixtureModels.LookbackTones,
        new GeneratorSessionOptions(ExecutionProvider.Cpu)
    );

    private ToneEncoding Tones => (ToneEncoding)_session.Metadata.Encoding;

    [Fact]
    public void The_model_says_it_looks_back_two_bars_and_starts_with_nothing_to_look_back_on()
    {
        Assert.Equal(ModelContract.LookbackVersion, _session.Metadata.ContractVersion);
        Assert.Equal(2, Tones.LookbackBars);
        Assert.True(Tones.BarPosition && Tones.LengthGivenTime);
        Assert.Equal(11, Tones.PreviousWidth);
        Assert.Equal(new long[] { 128, 4, 3, 3, 0, 128, 193, 0, 128, 193, 0 }, Tones.StartTone);
        Assert.Equal("2", _session.Metadata.ToProperties()[ModelMetadata.Prefix + "lookback_bars"]);
    }

    [Fact]
    public void A_melody_played_again_a_bar_later_is_seen_to_repeat_with_what_came_next()
    {
        var feedback = Tones.Feedback();
        int[] melody = [60, 62, 64, 65, 60, 62, 64, 67]; // quarter notes: two bars, the second's last tone changed

        var rows = melody.Select(p => Add(feedback, p, Quarter)).ToList();

        // Within the first bar nothing lies a bar back (the song starts at 0; its first onset is a quarter in).
        Assert.Equal(new long[] { 128, 193, 0, 128, 193, 0 }, rows[2][5..]);
        // C at 240 steps repeats the C at 48: next came D, 48 steps after it; two bars back is before the song.
        Assert.Equal(new long[] { 60, Quarter, 0, 0, 240 % 192, 62, 48, 2, 128, 193, 0 }, rows[4]);
        // G at 384 differs from the F at 192; then came C, 48 steps later. Two bars back, the song's start at 0: its
        // first tone came 48 steps after, and nothing sounded then.
        Assert.Equal(new long[] { 60, 48, 1, 60, 48, 0 }, rows[7][5..]);
    }

    [Fact]
    public void In_a_chord_played_again_each_tone_is_matched_with_its_place_and_the_next_one_sounds_at_once()
    {
        var feedback = Tones.Feedback();
        foreach (var p in new[] { 60, 64, 67 })
            Add(feedback, p, p == 60 ? Quarter : Chord);
        for (var beat = 0; beat < 3; beat++)
            Add(feedback, 72, Quarter);

        var c = Add(feedback, 60, Quarter); // a bar after the chord
        var e = Add(feedback, 65, Chord);
        var g = Add(feedback, 67, Chord);

        Assert.Equal(new long[] { 64, 0, 2 }, c[5..8]); // E next, at once
        Assert.Equal(new long[] { 67, 0, 1 }, e[5..8]); // F is not the E that sounded here; G next, at once
        Assert.Equal(new long[] { 72, 48, 2 }, g[5..8]); // the chord done, the next onset a quarter later
    }

    [Theory]
    [InlineData("0")]
    [InlineData("5")]
    [InlineData("two")]
    public void A_lookback_of_no_bars_or_too_many_is_refused_naming_the_key(string bars)
    {
        var properties = _session.Metadata.ToProperties().ToDictionary();
        properties[ModelMetadata.Prefix + "lookback_bars"] = bars;

        var error = Assert.Throws<InvalidDataException>(() => ModelMetadata.Parse(properties));

        Assert.Contains($"lookback_bars holds '{bars}', not 1 to 4", error.Message, StringComparison.Ordinal);
    }

    private static long[] Add(ToneFeedback feedback, int pitch, int time)
    {
        feedback.Add([pitch, time, 0, 0]);
        return [.. feedback.Previous];
    }

    public void Dispose() => _session.Dispose();
}
