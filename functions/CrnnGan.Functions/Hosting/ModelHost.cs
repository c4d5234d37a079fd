using CrnnGan.Inference.Generation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrnnGan.Functions.Hosting;

/// <summary>
/// The one generator session of this instance, shared by all requests, and the scheduler through which concurrent
/// requests share its batches. It is loaded and warmed up when the app starts; if that fails, the app still answers,
/// with the reason, so that health checks can say why.
/// </summary>
public sealed partial class ModelHost : IDisposable
{
    private readonly Lazy<(GeneratorSession? Session, StepScheduler? Scheduler, string? Error)> _model;

    public ModelHost(IOptions<GenerationOptions> options, ILogger<ModelHost> logger)
    {
        Options = options.Value;
        _model = new Lazy<(GeneratorSession?, StepScheduler?, string?)>(() => Load(Options, logger));
    }

    public GenerationOptions Options { get; }

    public GeneratorSession? Session => _model.Value.Session;

    /// <summary>
    /// Null when batching is off: by configuration, or on CUDA, whose kernels may depend on the batch's size, so
    /// that a song made in a shared batch could differ from the same seed's song made alone.
    /// </summary>
    public StepScheduler? Scheduler => _model.Value.Scheduler;

    /// <summary>Songs for requests: through the scheduler where batching is on.</summary>
    public SongGenerator Generator => new(Session ?? throw new InvalidOperationException(Error ?? "The model is not loaded."), Scheduler);

    /// <summary>How requests are batched, in a sentence's words.</summary>
    public string Batching =>
        Scheduler is { } s ? $"concurrent requests share batches of up to {s.MaxBatch} songs ({s.Window.TotalMilliseconds} ms window)"
        : Options.BatchWindowMilliseconds == 0 ? "off (Generation:BatchWindowMilliseconds is 0)"
        : "off on CUDA, whose kernels may depend on the batch's size";

    /// <summary>Why the model could not be loaded, or null.</summary>
    public string? Error => _model.Value.Error;

    public void Load() => _ = _model.Value;

    private static (GeneratorSession?, StepScheduler?, string?) Load(GenerationOptions options, ILogger logger)
    {
        var path = options.ResolvedModelPath;
        try
        {
            var session = GeneratorSession.Open(
                path,
                new GeneratorSessionOptions(options.ExecutionProvider, options.Threads, AllowSpinning: false),
                logger
            );
            LogLoaded(logger, path, session.Provider);
            var scheduler =
                options.BatchWindowMilliseconds > 0 && session.Provider == ExecutionProvider.Cpu
                    ? new StepScheduler(session, TimeSpan.FromMilliseconds(options.BatchWindowMilliseconds), options.MaxBatch)
                    : null;
            // A short song along the whole path (steps, sampling, decoding, statistics, MIDI) compiles what the
            // first request needs while the server starts, rather than while that request waits.
            new SongGenerator(session, scheduler)
                .GenerateAsync(new GenerationRequest { Steps = 8 }, default)
                .GetAwaiter()
                .GetResult()[0]
                .ToMidi(0);
            return (session, scheduler, null);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or InvalidOperationException or UnauthorizedAccessException)
        {
            LogFailed(logger, path, e.Message);
            return (null, null, $"The model {path} could not be loaded: {e.Message}");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded and warmed up {Model} on {Provider}.")]
    private static partial void LogLoaded(ILogger logger, string model, ExecutionProvider provider);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not load {Model}: {Reason}")]
    private static partial void LogFailed(ILogger logger, string model, string reason);

    public void Dispose()
    {
        if (!_model.IsValueCreated)
            return;
        _model.Value.Scheduler?.Dispose();
        _model.Value.Session?.Dispose();
    }
}
