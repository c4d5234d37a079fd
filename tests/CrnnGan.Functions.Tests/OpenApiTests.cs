using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CrnnGan.Functions.Hosting;
using CrnnGan.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace CrnnGan.Functions.Tests;

/// <summary>
/// GET /api/openapi.json: valid OpenAPI 3 by OpenAPI.NET's reader and rules, every route the functions declare, and every
/// field with the limits the validation applies, shown by sending each bound and just past it.
/// </summary>
public sealed class OpenApiTests : IAsyncLifetime
{
    private WebApplication? _app;
    private HttpClient _client = new();
    private JsonObject _document = [];

    public async ValueTask InitializeAsync()
    {
        (_app, _client) = await FunctionsServer.StartAsync(FunctionsServer.Settings(FixtureModels.Tones));
        _document = JsonNode.Parse(await _client.GetStringAsync("/api/openapi.json"))!.AsObject();
    }

    [Fact]
    public async Task The_document_is_valid_openapi_3_and_describes_every_route_and_method_the_functions_declare()
    {
        var text = await _client.GetStringAsync("/api/openapi.json");
        var read = OpenApiDocument.Parse(text, "json", new OpenApiReaderSettings());

        Assert.Empty(read.Diagnostic!.Errors);
        Assert.Equal(OpenApiSpecVersion.OpenApi3_0, read.Diagnostic.SpecificationVersion);
        var paths = read.Document!.Paths;
        foreach (var route in HttpRoutes.All)
        {
            var path = "/" + route.Template.Replace("{file?}", "", StringComparison.Ordinal);
            Assert.True(paths.ContainsKey(path), $"{path} is not in the document");
            foreach (var method in route.Methods)
                Assert.Contains(method, paths[path].Operations!.Keys.Select(m => m.Method.ToLowerInvariant()));
        }
        Assert.Equal(HttpRoutes.All.Sum(r => r.Methods.Count + (r.Template.Contains('?') ? 1 : 0)), paths.Values.Sum(p => p.Operations!.Count));
    }

    [Fact]
    public void Generate_and_datasets_list_exactly_the_fields_their_parser_accepts()
    {
        var options = new GenerationOptions
        {
            MaxSteps = 1024,
            MaxCount = 8,
            DefaultSteps = 128,
        };
        var query = _document["paths"]!["/generate"]!["get"]!["parameters"]!.AsArray().Select(p => (string)p!["name"]!);
        var body = Properties("GenerateRequest").Select(p => p.Key);
        var dataset = Properties("DatasetRequest").Select(p => p.Key);

        Assert.Equal(Requests.GenerateRequestParser.Rules.ForGenerate(options).Names, query);
        Assert.Equal(query, body);
        Assert.Equal([.. query, "name"], dataset);
    }

    public static TheoryData<string> Fields => ["seed", "steps", "duration", "count", "tempo", "program", "noiseScale", "temperature", "topP"];

    [Theory]
    [MemberData(nameof(Fields))]
    public async Task Each_numeric_field_is_accepted_at_its_documented_bounds_and_refused_just_past_them(string field)
    {
        var schema = Properties("GenerateRequest").Single(p => p.Key == field).Value!;
        var integer = (string)schema["type"]! == "integer";
        var exclusive = schema["exclusiveMinimum"] is not null && (bool)schema["exclusiveMinimum"]!;
        var minimum = (decimal)schema["minimum"]!;
        var maximum = decimal.Parse(schema["maximum"]!.ToJsonString(), CultureInfo.InvariantCulture);
        var step = integer ? 1m : 0.01m;

        await AssertAccepted(field, maximum);
        await AssertRefused(field, maximum + step);
        await AssertAccepted(field, exclusive ? minimum + step : minimum);
        await AssertRefused(field, exclusive ? minimum : minimum - step);
    }

    [Fact]
    public async Task Key_and_format_are_accepted_as_documented_and_refused_otherwise()
    {
        var schema = Properties("GenerateRequest").ToDictionary(p => p.Key, p => p.Value!);
        var formats = schema["format"]["enum"]!.AsArray().Select(v => (string)v!).ToList();

        Assert.Equal(["midi", "json", "zip"], formats);
        foreach (var format in formats)
            Assert.Equal(HttpStatusCode.OK, (await Generate($"format={format}&steps=2")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Generate("format=wav&steps=2")).StatusCode);
        var pattern = new Regex((string)schema["key"]["pattern"]!);
        foreach (var key in new[] { "random", "C", "F#m", "Bb minor", "eb" })
        {
            Assert.Matches(pattern, key);
            Assert.Equal(HttpStatusCode.OK, (await Generate($"key={Uri.EscapeDataString(key)}&steps=2")).StatusCode);
        }
        foreach (var key in new[] { "H", "C##", "Cmajor7" })
        {
            Assert.DoesNotMatch(pattern, key);
            Assert.Equal(HttpStatusCode.BadRequest, (await Generate($"key={Uri.EscapeDataString(key)}&steps=2")).StatusCode);
        }
    }

    private JsonObject Properties(string schema) => _document["components"]!["schemas"]![schema]!["properties"]!.AsObject();

    private Task<HttpResponseMessage> Generate(string query) => _client.GetAsync($"/api/generate?{query}");

    /// <summary>One field at a value, in a short JSON song (steps and duration exclude each other, so neither adds steps).</summary>
    private Task<HttpResponseMessage> Generate(string field, decimal value) =>
        Generate($"{field}={value.ToString(CultureInfo.InvariantCulture)}&format=json{(field is "steps" or "duration" ? "" : "&steps=2")}");

    private async Task AssertAccepted(string field, decimal value)
    {
        using var response = await Generate(field, value);
        Assert.True(response.IsSuccessStatusCode, $"{field}={value}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private async Task AssertRefused(string field, decimal value)
    {
        using var response = await Generate(field, value);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"{field}={value} is refused without naming {field}");
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        if (_app is not null)
            await _app.DisposeAsync();
    }
}
