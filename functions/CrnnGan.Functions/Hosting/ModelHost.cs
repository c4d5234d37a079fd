using CrnnGan.Inference.Generation;
using Microsoft.Extensions.Configuration;

namespace CrnnGan.Functions.Hosting;

/// <summary>
/// The one generator session of this instance, shared by all requests, and the scheduler through which concurrent
/// requests share its batches. It loads and warms up on a thread of its own from the moment it is made, so that a
/// cold start builds the host meanwhile; a request that comes earlier waits for it. If loading fails, the app still
/// answers, with the reason, so that health checks can say why.
/// </summary>
public sealed class ModelHost : IDisposable
{
    private readonly Task<(GeneratorSession? Session, StepScheduler? Scheduler, string? Error)> _load;

    public ModelHost(GenerationOptions options)
    {
        Options = options;
        _load = Task.Run(() => Load(options));
    }

    /// <summary>
    /// A model host loading from the app settings' "Generation" section now, before the host is built; null when the
    /// section cannot be bound or has problems, which the options' validation names when the app starts.
    /// </summary>
    public static ModelHost? StartLoading(IConfiguration configuration)
    {
        try
        {
            var options = configuration.GetSection(GenerationOptions.Section).Get<GenerationOptions>() ?? new GenerationOptions();
            return options.Problems().Any() ? null : new ModelHost(options);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    public GenerationOptions Options { get; }

    /// <summary>Completes once the model is loaded and warmed up, or has failed to load.</summary>
    public Task Loaded => _load;

    public GeneratorSession? Session => Model.Session;

    /// <summary>
    /// Null when batching is off: by configuration, or on CUDA, whose kernels may depend on the batch's size, so
    /// that a song made in a shared batch could differ from the same seed's song made alone.
    /// </summary>
    public StepScheduler? Scheduler => Model.Scheduler;

    /// <summary>Songs for requests: through the scheduler where batching is on.</summary>
    public SongGenerator Generator => new(Session ?? throw new InvalidOperationException(Error ?? "The model is not loaded."), Scheduler);

    /// <summary>How requests are batched, in a sentence's words.</summary>
    public string Batching =>
        Scheduler is { } s ? $"concurrent requests share batches of up to {s.MaxBatch} songs ({s.Window.TotalMilliseconds} ms window)"
        : Options.BatchWindowMilliseconds == 0 ? "off (Generation:BatchWindowMilliseconds is 0)"
        : "off on CUDA, whose kernels may depend on the batch's size";

    /// <summary>Why the model could not be loaded, or null.</summary>
    public string? Error => Model.Error;

    private (GeneratorSession? Session, StepScheduler? Scheduler, string? Error) Model => _load.GetAwaiter().GetResult();

    private static (GeneratorSession?, StepScheduler?, string?) Load(GenerationOptions options)
    {
        var path = options.ResolvedModelPath;
        GeneratorSession? session = null;
        StepScheduler? scheduler = null;
        try
        {
            session = GeneratorSession.Open(path, new GeneratorSessionOptions(options.ExecutionProvider, options.Threads, AllowSpinning: false));
            scheduler =
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
            scheduler?.Dispose();
            session?.Dispose();
            return (null, null, $"The model {path} could not be loaded: {e.Message}");
        }
    }

    public void Dispose()
    {
        var (session, scheduler, _) = Model;
        scheduler?.Dispose();
        session?.Dispose();
    }
}
