using CrnnGan.Inference.Generation;
using CrnnGan.Inference.Generation.Encodings;
using CrnnGan.TestSupport;

namespace CrnnGan.Inference.Tests.Generation;

/// <summary>
/// A model whose noise is drawn once a song (contract version 9): the fixture is the version 8 fixture's network, the same
/// graph, so that what changes is only how the host feeds the noise.
/// </summary>
public sealed class SongNoiseGenerationTests : IDisposable
{
    private readonly GeneratorSession _session = GeneratorSession.Open(
        FixtureModels.SongNoiseTones,
        new GeneratorSessionOptions(ExecutionProvider.Cpu)
    );

    private readonly GeneratorSession _freshNoise = GeneratorSession.Open(
        FixtureModels.DrawnTones,
        new GeneratorSessionOptions(ExecutionProvider.Cpu)
    );

    [Fact]
    public void The_model_says_its_noise_is_the_songs()
    {
        var properties = _session.Metadata.ToProperties().ToDictionary();

        Assert.Equal(ModelContract.SongNoiseVersion, _session.Metadata.ContractVersion);
        Assert.Equal(((ToneEncoding)_freshNoise.Metadata.Encoding) with { SongNoise = true }, _session.Metadata.Encoding);
        Assert.Equal(_session.Metadata.Encoding, ModelMetadata.Parse(properties).Encoding);
    }

    [Fact]
    public void Metadata_without_the_noises_description_is_refused_by_name()
    {
        var properties = _session.Metadata.ToProperties().ToDictionary();
        properties.Remove(ModelMetadata.Prefix + "song_noise");

        var missing = Assert.Throws<InvalidDataException>(() => ModelMetadata.Parse(properties));

        Assert.Contains("song_noise", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Songs_are_the_same_alone_and_in_a_batch_and_not_those_of_noise_drawn_afresh()
    {
        ulong[] seeds = [.. Enumerable.Range(0, 8).Select(i => (ulong)(7 * i))];
        const int steps = 120;

        var together = _session.RunTones(seeds.Length, steps, seeds, 1f, 1f, null);
        var alone = seeds.SelectMany(seed => _session.RunTones(1, steps, [seed], 1f, 1f, null)).ToArray();

        Assert.Equal(together, alone);
        Assert.NotEqual(_freshNoise.RunTones(seeds.Length, steps, seeds, 1f, 1f, null), together);
    }

    [Fact]
    public async Task Songs_through_the_scheduler_are_the_songs_made_alone()
    {
        using var scheduler = new StepScheduler(_session, TimeSpan.FromMilliseconds(5), maxBatch: 16);
        var shared = new SongGenerator(_session, scheduler);
        var requests = Enumerable.Range(0, 6).Select(i => new GenerationRequest { Seed = (ulong)(13 * i), Steps = 30 + 10 * i }).ToList();

        var together = await Task.WhenAll(requests.Select(r => shared.GenerateAsync(r, default)));

        for (var i = 0; i < requests.Count; i++)
            Assert.Equal(new SongGenerator(_session).Generate(requests[i])[0].ToMidi(0), together[i][0].ToMidi(0));
    }

    public void Dispose()
    {
        _session.Dispose();
        _freshNoise.Dispose();
    }
}
