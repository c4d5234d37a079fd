using CrnnGan.Inference.Features;
using CrnnGan.Inference.Generation;
using CrnnGan.Inference.Generation.Encodings;
using CrnnGan.Inference.Music;
using CrnnGan.Inference.Randomness;
using CrnnGan.TestSupport;

namespace CrnnGan.Inference.Tests.Generation;

/// <summary>Generation from a model of the tone family (contract version 2): host-side sampling, keys and temperature.</summary>
public sealed class ToneGenerationTests : IDisposable
{
    private readonly GeneratorSession _session = GeneratorSession.Open(FixtureModels.Tones, new GeneratorSessionOptions(ExecutionProvider.Cpu));

    private SongGenerator Generator => new(_session);

    [Fact]
    public void The_model_describes_its_heads_and_bins()
    {
        var metadata = _session.Metadata;
        var vocabulary = Assert.IsType<ToneEncoding>(metadata.Encoding).Vocabulary;

        Assert.Equal(ModelContract.ToneVersion, metadata.ContractVersion);
        Assert.Equal(["pitch", "time_delta", "length", "velocity"], metadata.FeatureNames);
        Assert.Equal([0, 0.25, 0.5, 1], vocabulary.TimeBins);
        Assert.Equal([128, 4, 3, 3], vocabulary.Sizes);
    }

    [Fact]
    public void The_same_seed_gives_the_same_bytes_and_song_i_is_seed_plus_i()
    {
        var request = new GenerationRequest
        {
            Count = 3,
            Steps = 64,
            Seed = 42,
        };

        var first = Generator.Generate(request).Select(s => s.ToMidi(0)).ToList();
        var again = Generator.Generate(request).Select(s => s.ToMidi(0)).ToList();
        var shifted = Generator.Generate(request with { Seed = 43, Count = 1 }).Select(s => s.ToMidi(0)).ToList();

        Assert.Equal(first, again);
        Assert.Equal(first[1], shifted[0]);
        Assert.Equal(3, first.Select(Convert.ToBase64String).Distinct().Count());
    }

    [Theory]
    [InlineData("C", 0, ScaleKind.Major)]
    [InlineData("F#m", 6, ScaleKind.NaturalMinor)]
    [InlineData("Bb", 10, ScaleKind.Major)]
    public void Songs_are_placed_in_the_key_asked_for(string keyName, int root, ScaleKind kind)
    {
        Assert.True(MusicalKey.TryParse(keyName, out var key));

        var songs = Generator.Generate(
            new GenerationRequest
            {
                Count = 4,
                Steps = 100,
                Seed = 1,
                Key = key,
            }
        );

        var pitches = songs.SelectMany(s => s.Song.Tones).Select(t => t.Pitch).ToList();
        Assert.True(
            pitches.Count(new Scale(root, kind).Contains) >= 0.9 * pitches.Count,
            $"{pitches.Count(new Scale(root, kind).Contains)} of {pitches.Count} in {keyName}"
        );
        Assert.All(songs, s => Assert.Equal(key, s.Key));
    }

    [Fact]
    public void Without_a_key_each_song_draws_one_from_its_own_seed()
    {
        var songs = Generator.Generate(
            new GenerationRequest
            {
                Count = 12,
                Steps = 40,
                Seed = 5,
            }
        );

        Assert.All(songs, s => Assert.Equal(ToneEncoding.RandomKey(s.Seed), s.Key));
        Assert.True(songs.Select(s => s.Key).Distinct().Count() > 3);
        var alone = Generator.Generate(
            new GenerationRequest
            {
                Count = 1,
                Steps = 40,
                Seed = 9,
            }
        )[0];
        Assert.Equal(songs[4].ToMidi(0), alone.ToMidi(0));
    }

    [Fact]
    public void Temperature_zero_gives_the_same_bytes_every_time_and_lower_temperatures_draw_fewer_classes()
    {
        GenerationRequest At(float temperature) =>
            new()
            {
                Count = 8,
                Steps = 100,
                Seed = 3,
                Key = new MusicalKey(0, false),
                Temperature = temperature,
            };
        float[] logits = [.. Enumerable.Range(0, 32).Select(i => -0.1f * i)];
        int Classes(float temperature) => Enumerable.Range(0, 200).Select(u => ToneSampler.Draw(logits, temperature, u / 200f)).Distinct().Count();

        Assert.True(Classes(0.3f) < Classes(1f), $"{Classes(0.3f)} against {Classes(1f)}");
        Assert.Equal(1, Classes(0));
        Assert.Equal(Generator.Generate(At(0)).Select(s => s.ToMidi(0)), Generator.Generate(At(0)).Select(s => s.ToMidi(0)));
    }

    [Theory]
    [InlineData(0.9f)]
    [InlineData(1.5f)]
    public void Tones_that_start_together_never_strike_the_same_key(float temperature)
    {
        var songs = Generator.Generate(
            new GenerationRequest
            {
                Count = 16,
                Steps = 100,
                Seed = 9,
                Temperature = temperature,
            }
        );

        var chords = songs.SelectMany(s => s.Song.Tones.GroupBy(t => (s.Index, t.Onset))).Where(c => c.Count() > 1).ToList();
        Assert.NotEmpty(chords);
        Assert.All(chords, c => Assert.Equal(c.Select(t => t.Pitch).Distinct().Count(), c.Count()));
    }

    [Fact]
    public void A_chord_of_ten_keys_closes_the_zero_time_so_the_next_tone_starts_later()
    {
        float[] time = [10, 0, 0]; // class 0, the zero time, by far the likeliest
        float[] one = [0];
        var drawn = new int[4];

        ToneSampler.DrawTone(one, time, one, lengthGivenTime: false, one, 0, 1, [0.5f, 0.5f, 0.5f, 0.5f], closedTime: -1, drawn);
        Assert.Equal(0, drawn[1]);
        ToneSampler.DrawTone(one, time, one, lengthGivenTime: false, one, 0, 1, [0.5f, 0.5f, 0.5f, 0.5f], closedTime: 0, drawn);
        Assert.NotEqual(0, drawn[1]);
        var songs = Generator.Generate(
            new GenerationRequest
            {
                Count = 16,
                Steps = 200,
                Seed = 2,
                Temperature = 0.3f,
            }
        );
        Assert.All(songs, s => Assert.True(s.Song.Tones.GroupBy(t => t.Onset).Max(c => c.Count()) <= ToneSampler.MaxChord));
    }

    [Fact]
    public void Ascending_chords_draw_a_tone_out_of_the_chords_order_again_from_the_models_tones_cut_to_those_in_order()
    {
        // Pitches 58 to 61 with weights 1 to 4, the zero time 0.6 and the other 0.4; the tone before is 59.
        float[] pitch =
        [
            .. Enumerable.Range(0, ToneVocabulary.Pitches).Select(p => p is >= 58 and <= 61 ? MathF.Log(p - 57) : float.NegativeInfinity),
        ];
        float[] time = [MathF.Log(0.6f), MathF.Log(0.4f)];
        float[] one = [0];
        var (random, redraws) = (new SeededRandom(1), new SeededRandom(2));
        var drawn = new int[4];
        var counts = new Dictionary<(int, int), int>();
        const int Draws = 40_000;

        for (var i = 0; i < Draws; i++)
        {
            float[] uniforms = [random.NextSingle(), random.NextSingle(), 0.5f, 0.5f];
            ToneSampler.DrawTone(pitch, time, one, false, one, 1, 1, uniforms, closedTime: -1, drawn, ascending: (0, 59, redraws));
            counts[(drawn[0], drawn[1])] = counts.GetValueOrDefault((drawn[0], drawn[1])) + 1;
        }

        // The model's tones cut to those in order: at the zero time only 60 and 61, the rest as likely as before.
        var weights = new Dictionary<(int, int), double> { [(60, 0)] = 0.6 * 0.3, [(61, 0)] = 0.6 * 0.4 };
        foreach (var p in Enumerable.Range(58, 4))
            weights[(p, 1)] = 0.4 * (p - 57) / 10;
        Assert.Equal(weights.Keys.Order(), counts.Keys.Order());
        Assert.All(weights, w => Assert.Equal(w.Value / weights.Values.Sum(), counts[w.Key] / (double)Draws, 0.01));
        ToneSampler.DrawTone(pitch, time, one, false, one, 1, 1, [0.9f, 0.1f, 0.5f, 0.5f], -1, drawn, ascending: (0, 59, redraws));
        Assert.Equal([61, 0], drawn[..2]); // in order as drawn: kept
        ToneSampler.DrawTone(pitch, time, one, false, one, 1, 1, [0.9f, 0.1f, 0.5f, 0.5f], -1, drawn, ascending: (0, 127, redraws));
        Assert.Equal([61, 1], drawn[..2]); // nothing above the top key: the tone starts later
    }

    [Fact]
    public void The_temperature_shapes_pitch_and_time_lengths_take_their_own_and_velocities_are_drawn_as_trained()
    {
        float[] flat = [0, 0, 0, 0];
        float[] peaked = [2, 0, 0, 0];
        var drawn = new int[4];
        var asTrained = ToneSampler.Draw(peaked, 1, 0.9f);

        ToneSampler.DrawTone(peaked, peaked, peaked, lengthGivenTime: false, peaked, 0.01f, 1, [0.9f, 0.9f, 0.9f, 0.9f], closedTime: -1, drawn);
        Assert.Equal([0, 0, asTrained, asTrained], drawn);
        Assert.NotEqual(0, asTrained);
        ToneSampler.DrawTone(peaked, peaked, peaked, lengthGivenTime: false, peaked, 1, 0.01f, [0.9f, 0.9f, 0.9f, 0.9f], closedTime: -1, drawn);
        Assert.Equal([asTrained, asTrained, 0, asTrained], drawn);
        ToneSampler.DrawTone(flat, flat, flat, lengthGivenTime: false, flat, 0.01f, 0.01f, [0.9f, 0.9f, 0.9f, 0.9f], closedTime: -1, drawn);
        Assert.Equal([3, 3, 3, 3], drawn);
    }

    [Fact]
    public void The_sampler_draws_by_the_cumulative_distribution_of_the_tempered_softmax()
    {
        float[] logits = [0, (float)Math.Log(3)]; // probabilities 1/4 and 3/4

        Assert.Equal(0, ToneSampler.Draw(logits, 1, 0.2f));
        Assert.Equal(1, ToneSampler.Draw(logits, 1, 0.3f));
        Assert.Equal(1, ToneSampler.Draw(logits, 0, 0.0f));
        Assert.Equal(0, ToneSampler.Draw(logits, 100, 0.45f)); // nearly uniform
        Assert.Equal(0.25, ToneSampler.Cumulative(logits, 1, 1), 6); // where a uniform number starts drawing class 1
        Assert.Equal(0, ToneSampler.Cumulative(logits, 1, 0));
    }

    [Fact]
    public void A_model_of_an_unknown_contract_version_is_refused_naming_the_versions_read()
    {
        var properties = _session.Metadata.ToProperties().ToDictionary();
        properties[ModelMetadata.Prefix + "contract_version"] = "10";

        var error = Assert.Throws<InvalidDataException>(() => ModelMetadata.Parse(properties));

        Assert.Contains("contract version 10", error.Message, StringComparison.Ordinal);
        Assert.Contains("versions 1 (the paper's model), 2 (the tone family), 3 (", error.Message, StringComparison.Ordinal);
        Assert.Contains("4 (the tone family, knowing where each tone falls in the bar)", error.Message, StringComparison.Ordinal);
        Assert.Contains("5 (the tone family, looking back one and two bars)", error.Message, StringComparison.Ordinal);
        Assert.Contains("6 (the tone family, knowing how its song keeps time)", error.Message, StringComparison.Ordinal);
        Assert.Contains("7 (the tone family, its pitch given the time)", error.Message, StringComparison.Ordinal);
        Assert.Contains("8 (the tone family, its time drawn in the step)", error.Message, StringComparison.Ordinal);
        Assert.Contains("and 9 (the tone family, its noise drawn once a song)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_length_bias_is_read_as_one_finite_number_per_length_bin()
    {
        var tones = (ToneEncoding)_session.Metadata.Encoding;
        var bins = tones.Vocabulary.LengthBins.Count;
        float[] bias = [.. Enumerable.Range(0, bins).Select(i => i * 0.25f - 1)];
        var properties = (_session.Metadata with { Encoding = tones with { LengthBias = bias } }).ToProperties().ToDictionary();

        Assert.Equal(bias, ((ToneEncoding)ModelMetadata.Parse(properties).Encoding).LengthBias);
        Assert.Null(tones.LengthBias);
        properties[ModelMetadata.Prefix + "length_bias"] = "0,1";
        Assert.Contains(
            $"2 length biases for {bins} length bins",
            Assert.Throws<InvalidDataException>(() => ModelMetadata.Parse(properties)).Message
        );
        properties[ModelMetadata.Prefix + "length_bias"] = string.Join(',', Enumerable.Repeat("NaN", bins));
        Assert.Contains("A length bias is a finite number", Assert.Throws<InvalidDataException>(() => ModelMetadata.Parse(properties)).Message);
    }

    [Fact]
    public void Key_and_temperature_are_refused_for_the_papers_model_naming_the_fields()
    {
        using var paper = GeneratorSession.Open(FixtureModels.OneTonePerStep, new GeneratorSessionOptions(ExecutionProvider.Cpu));
        var request = new GenerationRequest
        {
            Key = new MusicalKey(0, false),
            Temperature = 0.5f,
            TopP = 0.9f,
        };

        Assert.Equal(["key", "temperature", "topP"], request.Problems(paper.Metadata).Select(p => p.Field));
        Assert.Empty(request.Problems(_session.Metadata));
        Assert.Throws<ArgumentException>(() => new SongGenerator(paper).Generate(request));
    }

    [Fact]
    public void A_nucleus_draws_only_from_the_likeliest_classes_whose_probabilities_reach_it()
    {
        float[] logits = [3, 2, 0, -5]; // probabilities about 0.70, 0.26, 0.035, 0.0002
        var uniforms = Enumerable.Range(0, 1000).Select(u => u / 1000f).ToList();

        var whole = uniforms.Select(u => ToneSampler.Draw(logits, 1, u)).ToList();
        var nucleus = uniforms.Select(u => ToneSampler.Draw(logits, 1, u, topP: 0.9f)).ToList();

        Assert.Equal(whole, uniforms.Select(u => ToneSampler.Draw(logits, 1, u, topP: 1)));
        Assert.Contains(2, whole);
        Assert.Equal([0, 1], nucleus.Distinct().Order());
        Assert.InRange(nucleus.Count(c => c == 0) / 1000.0, 0.72, 0.74); // 0.70 ÷ (0.70 + 0.26), renormalised
        Assert.All(uniforms, u => Assert.Equal(0, ToneSampler.Draw(logits, 1, u, topP: 0.5f)));
    }

    [Fact]
    public void A_models_nucleus_is_read_from_its_metadata_and_a_request_names_its_own()
    {
        var tones = (ToneEncoding)_session.Metadata.Encoding;
        var properties = (_session.Metadata with { Encoding = tones with { DefaultTopP = 0.9f } }).ToProperties().ToDictionary();

        Assert.Equal(1f, tones.DefaultTopP);
        Assert.DoesNotContain(ModelMetadata.Prefix + "default_top_p", _session.Metadata.ToProperties().Keys);
        Assert.Equal(0.9f, ((ToneEncoding)ModelMetadata.Parse(properties).Encoding).DefaultTopP);
        properties[ModelMetadata.Prefix + "default_top_p"] = "0";
        Assert.Contains("top-p", Assert.Throws<InvalidDataException>(() => ModelMetadata.Parse(properties)).Message);
        Assert.Equal(
            ["topP"],
            new GenerationRequest { TopP = 1.5f }
                .Problems(_session.Metadata)
                .Select(p => p.Field)
        );
        Assert.Equal(1f, new GenerationRequest().Resolve(_session.Metadata).TopP);

        var request = new GenerationRequest { Count = 4, Steps = 80 };
        var nucleus = Generator.Generate(request with { TopP = 0.5f }).Select(s => s.ToMidi(0)).ToList();
        Assert.NotEqual(Generator.Generate(request).Select(s => s.ToMidi(0)), nucleus);
        Assert.Equal(nucleus, Generator.Generate(request with { TopP = 0.5f }).Select(s => s.ToMidi(0)));
    }

    public void Dispose() => _session.Dispose();
}
