using CrnnGan.Inference.Features;
using CrnnGan.Inference.Generation;
using CrnnGan.Inference.Generation.Encodings;
using CrnnGan.TestSupport;

namespace CrnnGan.Inference.Tests.Generation;

/// <summary>
/// A model whose step draws the time (contract version 8): the fixture is the version 7 fixture's network, so that what the graph
/// draws can be held against what the host draws from the rows of every time class.
/// </summary>
public sealed class TimeInStepGenerationTests : IDisposable
{
    private readonly GeneratorSession _session = GeneratorSession.Open(FixtureModels.DrawnTones, new GeneratorSessionOptions(ExecutionProvider.Cpu));

    private readonly GeneratorSession _hostDrawn = GeneratorSession.Open(
        FixtureModels.PitchedTones,
        new GeneratorSessionOptions(ExecutionProvider.Cpu)
    );

    private ToneEncoding Tones => (ToneEncoding)_session.Metadata.Encoding;

    [Fact]
    public void The_model_says_its_step_draws_the_time_and_gives_the_rows_of_the_time_drawn()
    {
        var properties = _session.Metadata.ToProperties().ToDictionary();

        Assert.Equal(ModelContract.TimeInStepVersion, _session.Metadata.ContractVersion);
        Assert.True(Tones.TimeInStep && Tones.PitchGivenTime && Tones.LengthGivenTime);
        Assert.Equal([ToneVocabulary.Pitches], Tones.LogitShape(ToneVocabulary.PitchHead));
        Assert.Equal([3], Tones.LogitShape(ToneVocabulary.LengthHead));
        Assert.Equal(Tones, ModelMetadata.Parse(properties).Encoding);
        Assert.Equal(((ToneEncoding)_hostDrawn.Metadata.Encoding) with { TimeInStep = true }, Tones);
    }

    [Fact]
    public void Metadata_without_the_steps_description_is_refused_by_name()
    {
        var properties = _session.Metadata.ToProperties().ToDictionary();
        properties.Remove(ModelMetadata.Prefix + "time_in_step");

        var missing = Assert.Throws<InvalidDataException>(() => ModelMetadata.Parse(properties));

        Assert.Contains("time_in_step", missing.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1f, 1f)]
    [InlineData(0.8f, 0.9f)]
    [InlineData(0f, 1f)]
    public void The_step_draws_the_time_the_host_draws_from_the_same_network_alone_or_in_a_batch(float temperature, float topP)
    {
        ulong[] seeds = [.. Enumerable.Range(0, 12).Select(i => (ulong)(3 * i))];
        const int steps = 150;

        var drawn = _session.RunTones(seeds.Length, steps, seeds, temperature, 1f, null, topP);
        var alone = seeds.SelectMany(seed => _session.RunTones(1, steps, [seed], temperature, 1f, null, topP)).ToArray();

        Assert.Equal(_hostDrawn.RunTones(seeds.Length, steps, seeds, temperature, 1f, null, topP), drawn);
        Assert.Equal(drawn, alone);
        var times = drawn.Where((_, i) => i % ToneVocabulary.Heads.Count == ToneVocabulary.TimeHead).Distinct().Count();
        Assert.True(temperature == 0 || times == Tones.Vocabulary.TimeBins.Count, $"{times} time classes drawn");
    }

    [Fact]
    public async Task Songs_through_the_scheduler_are_the_songs_made_alone()
    {
        using var scheduler = new StepScheduler(_session, TimeSpan.FromMilliseconds(5), maxBatch: 16);
        var shared = new SongGenerator(_session, scheduler);
        var requests = Enumerable.Range(0, 8).Select(i => new GenerationRequest { Seed = (ulong)(11 * i), Steps = 40 + 10 * i }).ToList();

        var together = await Task.WhenAll(requests.Select(r => shared.GenerateAsync(r, default)));

        for (var i = 0; i < requests.Count; i++)
            Assert.Equal(new SongGenerator(_session).Generate(requests[i])[0].ToMidi(0), together[i][0].ToMidi(0));
    }

    public void Dispose()
    {
        _session.Dispose();
        _hostDrawn.Dispose();
    }
}
