using Microsoft.Extensions.Hosting;

namespace CrnnGan.Functions.Hosting;

/// <summary>Loads and warms up the model while the app starts, not on the first request.</summary>
public sealed class ModelWarmup(ModelHost model) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        model.Load();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
