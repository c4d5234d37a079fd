using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CrnnGan.Inference.Music;
using CrnnGan.TestSupport;
using Microsoft.AspNetCore.Builder;

namespace CrnnGan.Functions.Tests;

/// <summary>The app serving a model of the tone family (contract versions 2 to 9): key and temperature over real HTTP.</summary>
public sealed class ToneModelTests : IAsyncLifetime
{
    private WebApplication? _app;
    private HttpClient _client = new();

    public async ValueTask InitializeAsync() => (_app, _client) = await FunctionsServer.StartAsync(FunctionsServer.Settings(FixtureModels.Tones));

    [Fact]
    public async Task A_duration_sets_how_long_the_songs_last_instead_of_the_steps()
    {
        using var response = await _client.GetAsync("/api/generate?seed=8&duration=7.5&format=json&count=2");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(7.5, document.RootElement.GetProperty("duration").GetDouble());
        foreach (var song in document.RootElement.GetProperty("songs").EnumerateArray().Select(s => s.GetProperty("song")))
        {
            var notes = song.GetProperty("notes").EnumerateArray().ToList();
            Assert.InRange(notes.Max(n => n.GetProperty("onsetSeconds").GetDouble()), 6, 7.5);
            Assert.True(notes.Count > 5);
        }
    }

    [Fact]
    public async Task A_zips_manifest_records_the_settings_used_the_models_defaults_resolved_as_the_cli_records_them()
    {
        using var response = await _client.GetAsync("/api/generate?seed=3&steps=20&count=2");

        using var zip = new System.IO.Compression.ZipArchive(await response.Content.ReadAsStreamAsync());
        using var manifest = JsonDocument.Parse(zip.GetEntry("manifest.json")!.Open());
        using var model = JsonDocument.Parse(await _client.GetStringAsync("/api/model"));
        var metadata = model.RootElement.GetProperty("metadata");
        Assert.Equal(
            metadata.GetProperty("encoding").GetProperty("defaultTemperature").GetSingle(),
            manifest.RootElement.GetProperty("temperature").GetSingle()
        );
        Assert.Equal(metadata.GetProperty("defaultTempoBpm").GetDouble(), manifest.RootElement.GetProperty("tempo").GetDouble());
    }

    [Fact]
    public async Task A_nucleus_is_taken_as_topP_recorded_in_the_manifest_and_refused_out_of_range_by_name()
    {
        using var response = await _client.GetAsync("/api/generate?seed=3&steps=20&count=2&topP=0.8");
        using var refused = await _client.GetAsync("/api/generate?seed=3&steps=20&topP=0");

        using var zip = new System.IO.Compression.ZipArchive(await response.Content.ReadAsStreamAsync());
        using var manifest = JsonDocument.Parse(zip.GetEntry("manifest.json")!.Open());
        Assert.Equal(0.8f, manifest.RootElement.GetProperty("topP").GetSingle());
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("topP", out _));
    }

    [Fact]
    public async Task A_timing_is_metered_free_or_random_and_a_model_that_does_not_read_it_refuses_it_by_name()
    {
        using var unknown = await _client.GetAsync("/api/generate?seed=3&steps=20&timing=swung");
        using var unread = await _client.GetAsync("/api/generate?seed=3&steps=20&timing=free");
        using var random = await _client.GetAsync("/api/generate?seed=3&steps=20&timing=random&format=json");

        foreach (var (response, says) in new[] { (unknown, "metered, free or random"), (unread, "version 6") })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Contains(says, problem.RootElement.GetProperty("errors").GetProperty("timing")[0].GetString(), StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.OK, random.StatusCode);
    }

    [Fact]
    public async Task A_key_places_the_song_there_and_the_json_says_which_key()
    {
        using var response = await _client.PostAsJsonAsync(
            "/api/generate",
            new
            {
                seed = 4,
                steps = 80,
                key = "F#m",
                temperature = 0.8,
                format = "json",
            }
        );

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var song = document.RootElement.GetProperty("songs")[0].GetProperty("song");
        Assert.Equal("F#m", song.GetProperty("key").GetString());
        var pitches = song.GetProperty("notes").EnumerateArray().Select(n => n.GetProperty("pitch").GetInt32()).ToList();
        Assert.True(pitches.Count(new Scale(6, ScaleKind.NaturalMinor).Contains) >= 0.9 * pitches.Count);
    }

    [Fact]
    public async Task Without_a_key_the_seed_chooses_one_and_the_same_request_gives_the_same_bytes()
    {
        var first = await _client.GetByteArrayAsync("/api/generate?seed=12&steps=40&temperature=0.9");
        var again = await _client.GetByteArrayAsync("/api/generate?seed=12&steps=40&temperature=0.9");
        var hotter = await _client.GetByteArrayAsync("/api/generate?seed=12&steps=40&temperature=1.5");

        Assert.Equal(first, again);
        Assert.NotEqual(first, hotter);
        Assert.NotEmpty(MidiReader.Read(first, "song.mid").Tones);
    }

    [Fact]
    public async Task The_model_endpoint_names_the_contract_version_the_bins_and_the_provider_with_its_reason()
    {
        using var document = JsonDocument.Parse(await _client.GetStringAsync("/api/model"));

        Assert.Equal(2, document.RootElement.GetProperty("metadata").GetProperty("contractVersion").GetInt32());
        Assert.Equal(
            4,
            document.RootElement.GetProperty("metadata").GetProperty("encoding").GetProperty("vocabulary").GetProperty("timeBins").GetArrayLength()
        );
        Assert.Equal("cpu", document.RootElement.GetProperty("provider").GetString());
        Assert.Equal("the CPU was asked for", document.RootElement.GetProperty("providerReason").GetString());
    }

    [Theory]
    [InlineData("generator-tones-bar.onnx", 4, "barPosition", "true")]
    [InlineData("generator-tones-lookback.onnx", 5, "lookbackBars", "2")]
    [InlineData("generator-tones-pitched.onnx", 7, "pitchGivenTime", "true")]
    [InlineData("generator-tones-drawn.onnx", 8, "timeInStep", "true")]
    public async Task A_model_that_knows_the_bar_or_looks_back_is_served_as_its_contract_version(
        string fixture,
        int version,
        string property,
        string value
    )
    {
        var (app, client) = await FunctionsServer.StartAsync(FunctionsServer.Settings(Repository.Fixture(fixture)));
        await using var served = app;
        using var owned = client;

        using var model = JsonDocument.Parse(await client.GetStringAsync("/api/model"));
        var first = await client.GetByteArrayAsync("/api/generate?seed=5&steps=60&key=D&topP=0.95");

        Assert.Equal(version, model.RootElement.GetProperty("metadata").GetProperty("contractVersion").GetInt32());
        Assert.Equal(value, model.RootElement.GetProperty("metadata").GetProperty("encoding").GetProperty(property).GetRawText());
        Assert.Equal(first, await client.GetByteArrayAsync("/api/generate?seed=5&steps=60&key=D&topP=0.95"));
        Assert.True(MidiReader.Read(first, "song.mid").Tones.Count > 30);
    }

    [Fact]
    public async Task A_model_whose_length_head_reads_the_time_is_served_as_contract_version_3()
    {
        var (app, client) = await FunctionsServer.StartAsync(FunctionsServer.Settings(FixtureModels.TimedTones));
        await using var served = app;
        using var owned = client;

        using var model = JsonDocument.Parse(await client.GetStringAsync("/api/model"));
        var first = await client.GetByteArrayAsync("/api/generate?seed=5&steps=60&key=D");

        Assert.Equal(3, model.RootElement.GetProperty("metadata").GetProperty("contractVersion").GetInt32());
        Assert.Equal(first, await client.GetByteArrayAsync("/api/generate?seed=5&steps=60&key=D"));
        Assert.True(MidiReader.Read(first, "song.mid").Tones.Count > 30);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        if (_app is not null)
            await _app.DisposeAsync();
    }
}
