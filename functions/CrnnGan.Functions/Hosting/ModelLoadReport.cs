using CrnnGan.Inference.Generation;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CrnnGan.Functions.Hosting;

/// <summary>
/// Says in the app's log how the model's load and warm-up went (<see cref="ModelHost"/> runs them on a thread of its
/// own from the moment it is made), without holding up the app's start.
/// </summary>
public sealed partial class ModelLoadReport(ModelHost model, ILogger<ModelHost> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = model.Loaded.ContinueWith(_ => Report(), TaskScheduler.Default);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Report()
    {
        if (model.Session is { } session)
            LogLoaded(logger, model.Options.ResolvedModelPath, session.Provider, session.ProviderReason);
        else
            LogFailed(logger, model.Error!);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded and warmed up {Model} on {Provider} ({Reason}).")]
    private static partial void LogLoaded(ILogger logger, string model, ExecutionProvider provider, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
