using Microsoft.Extensions.Hosting;

namespace CrnnGan.Functions.Hosting;

/// <summary>
/// Loads and warms up the model while the app starts, not on the first request: on a thread of its own, so that the
/// server starts listening meanwhile (a request that comes before the model is ready waits for it).
/// </summary>
public sealed class ModelWarmup(ModelHost model) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Task.Run(model.Load, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
