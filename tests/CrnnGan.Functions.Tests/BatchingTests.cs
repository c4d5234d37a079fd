using System.Net;
using System.Text.Json;
using CrnnGan.Functions.Hosting;
using CrnnGan.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CrnnGan.Functions.Tests;

/// <summary>Dynamic batching over real HTTP: concurrent requests share batches and get the bytes of the unbatched app.</summary>
public sealed class BatchingTests
{
    [Fact]
    public async Task Thirty_two_concurrent_requests_share_batches_and_get_the_bytes_the_unbatched_app_serves()
    {
        var settings = FunctionsServer.Settings(FixtureModels.Tones);
        var (batched, client) = await FunctionsServer.StartAsync(settings);
        var (unbatched, unbatchedClient) = await FunctionsServer.StartAsync(new(settings) { ["Generation:BatchWindowMilliseconds"] = "0" });
        await using var _ = batched;
        await using var __ = unbatched;
        using var ___ = client;
        using var ____ = unbatchedClient;
        var paths = Enumerable
            .Range(0, 32)
            .Select(i => $"/api/generate?seed={11 * i}&steps={16 + 29 * i % 200}&count={1 + i % 3}&temperature={0.6 + 0.1 * (i % 5):0.0}&format=json")
            .ToList();

        var alone = new List<string>();
        foreach (var path in paths)
            alone.Add(await unbatchedClient.GetStringAsync(path));
        var together = await Task.WhenAll(
            paths.Select(async path =>
            {
                using var response = await client.GetAsync(path);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return await response.Content.ReadAsStringAsync();
            })
        );

        Assert.Equal(alone, together);
        var scheduler = batched.Services.GetRequiredService<ModelHost>().Scheduler!;
        Assert.True(scheduler.RowSteps > 2 * scheduler.Steps, $"{scheduler.RowSteps} songs' steps in {scheduler.Steps} batch steps");
        Assert.Null(unbatched.Services.GetRequiredService<ModelHost>().Scheduler);
        using var health = JsonDocument.Parse(await client.GetStringAsync("/api/health"));
        Assert.StartsWith("concurrent requests share batches of up to 64 songs", health.RootElement.GetProperty("batching").GetString());
    }
}
