using CrnnGan.Inference.Generation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrnnGan.Functions.Hosting;

/// <summary>
/// The one generator session of this instance, shared by all requests. It is loaded and warmed up when the
/// app starts; if that fails, the app still answers, with the reason, so that health checks can say why.
/// </summary>
public sealed partial class ModelHost : IDisposable
{
    private readonly Lazy<(GeneratorSession? Session, string? Error)> _model;

    public ModelHost(IOptions<GenerationOptions> options, ILogger<ModelHost> logger)
    {
        Options = options.Value;
        _model = new Lazy<(GeneratorSession?, string?)>(() => Load(Options, logger));
    }

    public GenerationOptions Options { get; }

    public GeneratorSession? Session => _model.Value.Session;

    /// <summary>Why the model could not be loaded, or null.</summary>
    public string? Error => _model.Value.Error;

    public void Load() => _ = _model.Value;

    private static (GeneratorSession?, string?) Load(GenerationOptions options, ILogger logger)
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
            return (session, null);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or InvalidOperationException or UnauthorizedAccessException)
        {
            LogFailed(logger, path, e.Message);
            return (null, $"The model {path} could not be loaded: {e.Message}");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded and warmed up {Model} on {Provider}.")]
    private static partial void LogLoaded(ILogger logger, string model, ExecutionProvider provider);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not load {Model}: {Reason}")]
    private static partial void LogFailed(ILogger logger, string model, string reason);

    public void Dispose()
    {
        if (_model.IsValueCreated)
            _model.Value.Session?.Dispose();
    }
}
