using System.Net;
using System.Text;
using System.Text.Json;

namespace CrnnGan.Functions.Tests;

/// <summary>Every kind of bad input gets a 400 problem document naming the field, never a 500.</summary>
public sealed class ValidationTests(FunctionsServer server) : IClassFixture<FunctionsServer>
{
    private HttpClient Client => server.Client;

    public static TheoryData<string, string, string> BadQueries =>
        new()
        {
            { "bogus=1", "bogus", "Unknown field 'bogus'" },
            { "steps=abc", "steps", "'steps' must be a whole number" },
            { "seed=-4", "seed", "'seed' must be a whole number" },
            { "count=2.5", "count", "'count' must be a whole number" },
            { "tempo=fast", "tempo", "'tempo' must be a number" },
            { "noiseScale=loud", "noiseScale", "'noiseScale' must be a number" },
            { "format=wav", "format", "'format' must be one of midi, json, zip" },
            { "steps=0", "steps", "steps must be between 1" },
            { "count=0", "count", "count must be between 1" },
            { "program=200", "program", "program must be a General MIDI program" },
            { "tempo=5", "tempo", "tempo must be between 10 and 400" },
            { "noiseScale=-1", "noiseScale", "noise scale must be between 0 and 10" },
            { "steps=5000", "steps", "over this service's limit of 1024. For larger jobs use POST /api/datasets, or use batch generation" },
            { "count=9", "count", "over this service's limit of 8. For larger jobs use POST /api/datasets, or use batch generation" },
            { "steps=10&steps=20", "steps", "given 2 times" },
            { "key=H", "key", "'key' must be a key such as C, F#m or Bb" },
            { "key=C", "key", "key applies to models of the tone family" },
            { "temperature=0.5", "temperature", "temperature applies to models of the tone family" },
            { "temperature=warm", "temperature", "'temperature' must be a number" },
            { "format=midi&count=3", "format", "'format' midi is one song, but 'count' asks for 3" },
            { "format=midi&count=3", "count", "'format' midi is one song, but 'count' asks for 3" },
            { "duration=long", "duration", "'duration' must be a number of seconds" },
            { "duration=0", "duration", "duration must be above 0" },
            { "duration=4000", "duration", "over this service's limit of 600 s" },
            { "steps=10&duration=5", "steps", "Give 'steps' or 'duration' (seconds), not both" },
            { "steps=10&duration=5", "duration", "Give 'steps' or 'duration' (seconds), not both" },
        };

    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task Bad_query_parameters_are_refused_naming_the_field(string query, string field, string message) =>
        await AssertProblem(await Client.GetAsync($"/api/generate?{query}"), field, message);

    public static TheoryData<string, string, string> BadBodies =>
        new()
        {
            { """{"seed": 1, "colour": "blue"}""", "colour", "Unknown field 'colour'" },
            { """{"steps": "12"}""", "steps", "'steps' must be a whole number" },
            { """{"steps": 1.5}""", "steps", "'steps' must be a whole number" },
            { """{"format": 3}""", "format", "'format' must be one of" },
            { """{"seed": 1,""", "body", "not valid JSON" },
            { """[1, 2, 3]""", "body", "must be a JSON object, not array" },
            { """{"steps": 10, "steps": 20}""", "steps", "given twice" },
            { """{"count": 100}""", "count", "For larger jobs use POST /api/datasets, or use batch generation" },
            { """{"format": "midi", "count": 3}""", "count", "'format' midi is one song" },
            { """{"key": 5}""", "key", "'key' must be a key" },
        };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_bodies_are_refused_naming_the_field(string body, string field, string message) =>
        await AssertProblem(await Client.PostAsync("/api/generate", new StringContent(body, Encoding.UTF8, "application/json")), field, message);

    [Fact]
    public async Task A_body_over_the_size_limit_is_refused_not_truncated()
    {
        var body = $$"""{"seed": 1, "pad": "{{new string(' ', 2000)}}"}""";

        await AssertProblem(
            await Client.PostAsync("/api/generate", new StringContent(body, Encoding.UTF8, "application/json")),
            "body",
            "over the limit of 1024"
        );
    }

    [Fact]
    public async Task A_body_sent_without_a_length_is_cut_off_at_the_limit()
    {
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes($$"""{"seed": 1, "pad": "{{new string(' ', 5000)}}"}""")));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/generate") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        await AssertProblem(await Client.SendAsync(request), "body", "over the limit of 1024");
    }

    private static async Task AssertProblem(HttpResponseMessage response, string field, string message)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
            var errors = problem.RootElement.GetProperty("errors");
            Assert.True(errors.TryGetProperty(field, out var messages), $"no error for '{field}' in {errors}");
            Assert.Contains(message, messages[0].GetString()!, StringComparison.Ordinal);
        }
    }
}
