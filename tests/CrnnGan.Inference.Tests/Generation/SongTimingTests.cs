using CrnnGan.Inference.Generation;
using CrnnGan.Inference.Generation.Encodings;
using CrnnGan.Inference.Music;
using CrnnGan.Inference.Statistics;
using CrnnGan.TestSupport;

namespace CrnnGan.Inference.Tests.Generation;

/// <summary>A model that reads its song's timing, metered or free (contract version 6): what the host draws and feeds.</summary>
public sealed class SongTimingTests : IDisposable
{
    private readonly GeneratorSession _session = GeneratorSession.Open(FixtureModels.BarTones, new GeneratorSessionOptions(ExecutionProvider.Cpu));

    /// <summary>The bar fixture's metadata made version 6's, with <paramref name="share"/> (none: the key left out).</summary>
    private Dictionary<string, string> TimingProperties(string? share)
    {
        var properties = _session.Metadata.ToProperties().ToDictionary();
        properties[ModelMetadata.Prefix + "contract_version"] = "6";
        if (share is not null)
            properties[ModelMetadata.Prefix + "metered_share"] = share;
        return properties;
    }

    private ToneEncoding Timed(float share) => (ToneEncoding)ModelMetadata.Parse(TimingProperties(share.ToString("R"))).Encoding;

    [Fact]
    public void A_request_may_make_every_song_metered_or_free_and_a_model_that_does_not_read_the_timing_refuses_it_by_name()
    {
        using var bundled = GeneratorSession.Open(Repository.Model("crnngan.onnx"), new GeneratorSessionOptions(ExecutionProvider.Cpu));
        var tones = (ToneEncoding)bundled.Metadata.Encoding;
        var seeds = Enumerable.Range(0, 40).Select(i => (ulong)i).ToList();
        var (metered, free) = (seeds.First(s => tones.TimingOf(s) == SongTiming.Metered), seeds.First(s => tones.TimingOf(s) == SongTiming.Free));
        byte[] Song(ulong seed, SongTiming? timing) =>
            new SongGenerator(bundled)
                .Generate(
                    new GenerationRequest
                    {
                        Seed = seed,
                        Steps = 48,
                        Timing = timing,
                    }
                )
                .Single()
                .ToMidi(0);

        Assert.Equal(Song(metered, null), Song(metered, SongTiming.Metered)); // as its seed draws it
        Assert.Equal(Song(free, null), Song(free, SongTiming.Free));
        Assert.NotEqual(Song(metered, null), Song(metered, SongTiming.Free));
        Assert.NotEqual(Song(free, null), Song(free, SongTiming.Metered));
        var request = new GenerationRequest { Timing = SongTiming.Free };
        Assert.Equal("timing", Assert.Single(request.Problems(_session.Metadata)).Field); // version 4
        Assert.Null(request.ApplicableTo(_session.Metadata).Timing);
        Assert.Empty(request.Problems(bundled.Metadata));
        var settings = Datasets.DatasetSettings.Of(request.Resolve(bundled.Metadata), "crnngan.onnx", "midi");
        Assert.Equal("free", settings.Timing); // a dataset's settings, queued or resumed, keep it
        Assert.Equal(SongTiming.Free, settings.Request(2).Timing);
    }

    [Theory]
    [InlineData(0.5, SongTiming.Metered)] // every onset on an eighth
    [InlineData(0.25, SongTiming.Metered)]
    [InlineData(1.0 / 3, SongTiming.Free)] // triplets: two onsets in three off the sixteenth grid
    [InlineData(0.3, SongTiming.Free)]
    public void A_song_is_metered_when_at_least_half_its_onsets_lie_on_the_sixteenth_grid(double step, SongTiming expected)
    {
        var tones = Enumerable.Range(0, 24).Select(i => new Tone(i * step, step, 60 + i % 5, 80));

        Assert.Equal(expected, OnsetPosition.Timing(tones));
    }

    [Fact]
    public void The_timing_is_the_rows_last_column_the_same_at_every_step_and_written_back_with_the_share()
    {
        var tones = Timed(0.7f);

        Assert.Equal(ModelContract.TimingVersion, tones.ContractVersion);
        Assert.True(tones.Timing && tones.BarPosition && tones.LengthGivenTime);
        Assert.Equal(6, tones.PreviousWidth);
        var feedback = tones.Feedback(SongTiming.Free);
        Assert.Equal(new long[] { 128, 4, 3, 3, 0, 1 }, feedback.Previous);
        feedback.Add([60, 3, 0, 0]);
        feedback.Add([64, 2, 0, 0]);
        Assert.Equal(new long[] { 64, 2, 0, 0, 72, 1 }, feedback.Previous);
        Assert.Equal(0L, tones.Feedback().Previous[^1]);
        var properties = (_session.Metadata with { Encoding = tones }).ToProperties();
        Assert.Equal("0.7", properties[ModelMetadata.Prefix + "metered_share"]);
        Assert.Equal(tones, ModelMetadata.Parse(properties.ToDictionary()).Encoding);
    }

    [Fact]
    public void Each_song_is_drawn_metered_from_its_seed_alone_with_the_models_share()
    {
        var tones = Timed(0.7f);
        var seeds = Enumerable.Range(0, 4000).Select(i => (ulong)i).ToList();

        var metered = seeds.Count(seed => tones.TimingOf(seed) == SongTiming.Metered) / (double)seeds.Count;

        Assert.InRange(metered, 0.67, 0.73);
        Assert.Equal(seeds.Select(tones.TimingOf), seeds.Select(Timed(0.7f).TimingOf));
        Assert.All(seeds.Take(200), seed => Assert.Equal(SongTiming.Free, Timed(0).TimingOf(seed)));
        Assert.All(seeds.Take(200), seed => Assert.Equal(SongTiming.Metered, Timed(1).TimingOf(seed)));
    }

    [Theory]
    [InlineData(null, "crnngan.metered_share")]
    [InlineData("1.5", "metered share")]
    [InlineData("half", "crnngan.metered_share")]
    public void A_version_6_model_without_a_usable_metered_share_is_refused_naming_it(string? share, string named)
    {
        var error = Assert.Throws<InvalidDataException>(() => ModelMetadata.Parse(TimingProperties(share)));

        Assert.Contains(named, error.Message);
    }

    public void Dispose() => _session.Dispose();
}
