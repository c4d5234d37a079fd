using System.Net;
using System.Text.Json;
using CrnnGan.TestSupport;
using Microsoft.Extensions.Options;

namespace CrnnGan.Functions.Tests;

public sealed class ModelAndHealthTests(FunctionsServer server) : IClassFixture<FunctionsServer>
{
    [Fact]
    public async Task Model_describes_the_loaded_model_and_the_limits()
    {
        using var response = await server.Client.GetAsync("/api/model");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("cpu", body.RootElement.GetProperty("provider").GetString());
        var metadata = body.RootElement.GetProperty("metadata");
        Assert.Equal(1, metadata.GetProperty("encoding").GetProperty("tonesPerStep").GetInt32());
        Assert.Equal(16, metadata.GetProperty("hiddenSize").GetInt32());
        Assert.Equal(1024, body.RootElement.GetProperty("limits").GetProperty("maxSteps").GetInt32());
    }

    [Fact]
    public async Task Health_says_ready_and_which_provider_is_in_use()
    {
        using var response = await server.Client.GetAsync("/api/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ready", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("cpu", body.RootElement.GetProperty("provider").GetString());
    }

    [Fact]
    public async Task Without_a_model_health_and_generation_say_why_with_503()
    {
        using var folder = new TemporaryFolder();
        var (app, client) = await FunctionsServer.StartAsync(FunctionsServer.Settings(Path.Combine(folder.Path, "missing.onnx")));
        await using (app)
        using (client)
        {
            using var health = await client.GetAsync("/api/health");
            using var generate = await client.GetAsync("/api/generate?seed=1");
            using var model = await client.GetAsync("/api/model");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Contains("missing.onnx", await health.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, generate.StatusCode);
            Assert.Equal("application/problem+json", generate.Content.Headers.ContentType!.MediaType);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, model.StatusCode);
        }
    }

    [Fact]
    public async Task Invalid_settings_stop_the_app_at_start_naming_the_setting()
    {
        var settings = FunctionsServer.Settings();
        settings["Generation:MaxSteps"] = "0";

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => FunctionsServer.StartAsync(settings));

        Assert.Contains("Generation:MaxSteps", error.Message, StringComparison.Ordinal);
    }
}
