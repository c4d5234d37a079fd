using CrnnGan.Inference.Features;
using CrnnGan.Inference.Generation;
using CrnnGan.Inference.Generation.Encodings;
using CrnnGan.TestSupport;

namespace CrnnGan.Inference.Tests.Generation;

/// <summary>
/// A model whose pitch head reads the drawn time (contract version 7): a row of pitch logits per time class, the pitches out
/// of the chord's order masked in the graph, served by the same generation loop.
/// </summary>
public sealed class PitchGivenTimeGenerationTests : IDisposable
{
    // The fixture's time bins are 0, 1/4, 1/2 and 1 quarter: class 0 joins the chord of the tone before.
    private const int Chord = 0;

    private readonly GeneratorSession _session = GeneratorSession.Open(
        FixtureModels.PitchedTones,
        new GeneratorSessionOptions(ExecutionProvider.Cpu)
    );

    private ToneEncoding Tones => (ToneEncoding)_session.Metadata.Encoding;

    [Fact]
    public void The_model_says_its_pitch_reads_the_time_and_which_inputs_of_the_versions_before_it_reads()
    {
        var properties = _session.Metadata.ToProperties().ToDictionary();

        Assert.Equal(ModelContract.PitchGivenTimeVersion, _session.Metadata.ContractVersion);
        Assert.True(Tones.PitchGivenTime && Tones.LengthGivenTime && Tones.BarPosition);
        Assert.Equal(2, Tones.LookbackBars);
        Assert.False(Tones.Timing);
        Assert.Equal([4, ToneVocabulary.Pitches], Tones.LogitShape(ToneVocabulary.PitchHead));
        Assert.Equal([4], Tones.LogitShape(ToneVocabulary.TimeHead));
        Assert.Equal(Tones, ModelMetadata.Parse(properties).Encoding);
        properties.Remove(ModelMetadata.Prefix + "lookback_bars");
        Assert.Equal(0, ((ToneEncoding)ModelMetadata.Parse(properties).Encoding).LookbackBars);
    }

    [Fact]
    public void Metadata_without_the_pitch_rows_description_or_with_ascending_chords_is_refused_by_name()
    {
        var properties = _session.Metadata.ToProperties().ToDictionary();
        var ascending = new Dictionary<string, string>(properties) { [ModelMetadata.Prefix + "ascending_chords"] = "true" };
        properties.Remove(ModelMetadata.Prefix + "pitch_given_time");

        var missing = Assert.Throws<InvalidDataException>(() => ModelMetadata.Parse(properties));
        var both = Assert.Throws<InvalidDataException>(() => ModelMetadata.Parse(ascending));

        Assert.Contains("pitch_given_time", missing.Message, StringComparison.Ordinal);
        Assert.Contains("chord's order", both.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_key_that_joins_a_chord_is_above_the_one_before_and_a_song_is_the_same_alone_and_in_a_batch()
    {
        ulong[] seeds = [.. Enumerable.Range(0, 16).Select(i => (ulong)i)];
        const int steps = 120;
        var heads = ToneVocabulary.Heads.Count;

        var tones = _session.RunTones(seeds.Length, steps, seeds, 1f, 1f, null);
        var alone = _session.RunTones(1, steps, [seeds[3]], 1f, 1f, null);

        var joined = 0;
        for (var song = 0; song < seeds.Length; song++)
        for (var t = 1; t < steps; t++)
        {
            var (at, before) = ((song * steps + t) * heads, (song * steps + t - 1) * heads);
            if (tones[at + ToneVocabulary.TimeHead] != Chord || tones[before] == ToneVocabulary.Pitches - 1)
                continue;
            joined++;
            Assert.True(tones[at] > tones[before], $"song {song}, tone {t}: {tones[at]} joins the chord of {tones[before]}");
        }
        Assert.True(joined > 100, $"only {joined} tones joined a chord");
        Assert.Equal(alone, tones.AsSpan(3 * steps * heads, steps * heads).ToArray());
    }

    [Fact]
    public void The_pitch_is_drawn_from_the_row_of_the_time_drawn()
    {
        float[] time = [0, 0, 9, 0]; // class 2 by far the likeliest
        float[] one = [0];
        // Row d favours pitch 60 + d.
        float[] pitch =
        [
            .. Enumerable.Range(0, 4 * ToneVocabulary.Pitches).Select(i => i % ToneVocabulary.Pitches == 60 + i / ToneVocabulary.Pitches ? 9f : 0f),
        ];
        var drawn = new int[4];

        ToneSampler.DrawTone(pitch, time, one, false, one, 0.01f, 1, [0.5f, 0.5f, 0.5f, 0.5f], -1, drawn, pitchGivenTime: true);
        Assert.Equal((2, 62), (drawn[ToneVocabulary.TimeHead], drawn[ToneVocabulary.PitchHead]));
        ToneSampler.DrawTone(pitch, time, one, false, one, 0.01f, 1, [0.5f, 0.5f, 0.5f, 0.5f], 2, drawn, pitchGivenTime: true);
        Assert.NotEqual(2, drawn[ToneVocabulary.TimeHead]);
        Assert.Equal(60 + drawn[ToneVocabulary.TimeHead], drawn[ToneVocabulary.PitchHead]);
    }

    public void Dispose() => _session.Dispose();
}
