using CrnnGan.Functions.Hosting;
using CrnnGan.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace CrnnGan.Functions.Tests;

/// <summary>The app's functions served over HTTP on 127.0.0.1 with a fixture model, shared by a test class.</summary>
public sealed class FunctionsServer : IAsyncLifetime
{
    private WebApplication? _app;

    public HttpClient Client { get; private set; } = new();

    public static Dictionary<string, string?> Settings(string? model = null) =>
        new()
        {
            ["Generation:ModelPath"] = model ?? FixtureModels.OneTonePerStep,
            ["Generation:ExecutionProvider"] = "Cpu",
            ["Generation:MaxSteps"] = "1024",
            ["Generation:MaxCount"] = "8",
            ["Generation:MaxBodyBytes"] = "1024",
            ["Generation:DefaultSteps"] = "128",
        };

    public static async Task<(WebApplication App, HttpClient Client)> StartAsync(Dictionary<string, string?> settings)
    {
        var app = await LocalServer.StartAsync(settings);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(2) });
    }

    public async ValueTask InitializeAsync() => (_app, Client) = await StartAsync(Settings());

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (_app is not null)
            await _app.DisposeAsync();
    }
}
