using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CrnnGan.Inference.Music;

namespace CrnnGan.Functions.Tests;

/// <summary>The generate endpoint over real HTTP: formats, seeds, and determinism.</summary>
public sealed class GenerateEndpointTests(FunctionsServer server) : IClassFixture<FunctionsServer>
{
    private HttpClient Client => server.Client;

    [Fact]
    public async Task One_song_comes_as_a_midi_file_with_its_seed()
    {
        using var response = await Client.GetAsync("/api/generate?seed=42&steps=64");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/midi", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("crnngan-42.mid", response.Content.Headers.ContentDisposition.FileName?.Trim('"'));
        Assert.Equal("42", response.Headers.GetValues("X-Crnngan-Seed").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        var song = MidiReader.Read(await response.Content.ReadAsByteArrayAsync(), "response");
        Assert.InRange(song.Tones.Count, 1, 64);
    }

    [Fact]
    public async Task A_missing_seed_is_drawn_and_returned_so_the_song_can_be_made_again()
    {
        using var first = await Client.GetAsync("/api/generate?steps=32");
        var seed = first.Headers.GetValues("X-Crnngan-Seed").Single();
        using var again = await Client.GetAsync($"/api/generate?steps=32&seed={seed}");
        using var other = await Client.GetAsync("/api/generate?steps=32");

        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await again.Content.ReadAsByteArrayAsync());
        Assert.NotEqual(seed, other.Headers.GetValues("X-Crnngan-Seed").Single());
    }

    [Fact]
    public async Task Get_and_post_give_the_same_song()
    {
        using var get = await Client.GetAsync("/api/generate?seed=5&steps=40&tempo=90&program=12&noiseScale=0.5");
        using var post = await Client.PostAsJsonAsync(
            "/api/generate",
            new
            {
                seed = 5,
                steps = 40,
                tempo = 90,
                program = 12,
                noiseScale = 0.5,
            }
        );

        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        var bytes = await get.Content.ReadAsByteArrayAsync();
        Assert.Equal(bytes, await post.Content.ReadAsByteArrayAsync());
        var song = MidiReader.Read(bytes, "x");
        Assert.Equal(90, song.Tempo.Changes[0].Bpm, 2);
        Assert.All(song.Tones, t => Assert.Equal(12, t.Program));
    }

    [Fact]
    public async Task Several_songs_come_as_a_zip_of_midi_files_with_a_manifest()
    {
        using var response = await Client.GetAsync("/api/generate?seed=100&steps=24&count=3");

        Assert.Equal("application/zip", response.Content.Headers.ContentType!.MediaType);
        using var zip = new ZipArchive(await response.Content.ReadAsStreamAsync());
        Assert.Equal(["crnngan-100.mid", "crnngan-101.mid", "crnngan-102.mid", "manifest.json"], zip.Entries.Select(e => e.FullName).Order());
        using var manifest = JsonDocument.Parse(zip.GetEntry("manifest.json")!.Open());
        Assert.Equal(3, manifest.RootElement.GetProperty("songs").GetArrayLength());
        foreach (var entry in zip.Entries.Where(e => e.Name.EndsWith(".mid", StringComparison.Ordinal)))
        {
            using var stream = new MemoryStream();
            await entry.Open().CopyToAsync(stream);
            Assert.NotEmpty(MidiReader.Read(stream.ToArray(), entry.Name).Tones);
        }
    }

    [Fact]
    public async Task Format_zip_wraps_even_one_song()
    {
        using var response = await Client.GetAsync("/api/generate?seed=1&steps=16&format=zip");

        Assert.Equal("application/zip", response.Content.Headers.ContentType!.MediaType);
        using var zip = new ZipArchive(await response.Content.ReadAsStreamAsync());
        Assert.Equal(2, zip.Entries.Count);
    }

    [Fact]
    public async Task Json_gives_notes_statistics_and_the_same_midi_as_base64()
    {
        using var midi = await Client.GetAsync("/api/generate?seed=9&steps=48");
        using var json = await Client.GetAsync("/api/generate?seed=9&steps=48&format=json");

        Assert.Equal("application/json", json.Content.Headers.ContentType!.MediaType);
        using var document = JsonDocument.Parse(await json.Content.ReadAsStringAsync());
        var song = document.RootElement.GetProperty("songs")[0];
        Assert.Equal(9UL, document.RootElement.GetProperty("seed").GetUInt64());
        Assert.True(song.GetProperty("song").GetProperty("notes").GetArrayLength() > 0);
        Assert.True(song.GetProperty("song").GetProperty("statistics").TryGetProperty("scale_consistency", out _));
        Assert.Equal(await midi.Content.ReadAsByteArrayAsync(), Convert.FromBase64String(song.GetProperty("midiBase64").GetString()!));
    }

    [Fact]
    public async Task Sixty_four_concurrent_calls_all_succeed_with_the_bytes_of_sequential_calls()
    {
        var sequential = new List<byte[]>();
        for (var seed = 0; seed < 64; seed++)
            sequential.Add(await Client.GetByteArrayAsync($"/api/generate?seed={seed}&steps=64"));

        var concurrent = await Task.WhenAll(
            Enumerable
                .Range(0, 64)
                .Select(async seed =>
                {
                    using var response = await Client.GetAsync($"/api/generate?seed={seed}&steps=64");
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    return await response.Content.ReadAsByteArrayAsync();
                })
        );

        Assert.Equal(sequential, concurrent);
    }

    [Fact]
    public async Task An_empty_post_body_means_the_defaults()
    {
        using var response = await Client.PostAsync("/api/generate", new StringContent("", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/midi", response.Content.Headers.ContentType!.MediaType);
    }
}
