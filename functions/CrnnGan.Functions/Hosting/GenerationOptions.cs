using CrnnGan.Inference.Generation;

namespace CrnnGan.Functions.Hosting;

/// <summary>
/// App settings of the generation endpoints (section "Generation"; in Azure, Generation__ModelPath and so on).
/// The limits keep one request within what an HTTP response should take; larger jobs belong to batch generation.
/// </summary>
public sealed class GenerationOptions
{
    public const string Section = "Generation";

    /// <summary>The exported generator; a relative path is taken from the app's folder.</summary>
    public string ModelPath { get; set; } = Path.Combine("models", "crnngan.onnx");

    public ExecutionProvider ExecutionProvider { get; set; } = ExecutionProvider.Auto;

    /// <summary>ONNX Runtime threads per step; 0 lets it choose.</summary>
    public int Threads { get; set; }

    /// <summary>
    /// How long an idle instance waits for more requests before it starts a batch; requests that arrive while one runs
    /// join it at its next step. 0 turns batching off: each request runs its own batch.
    /// </summary>
    public double BatchWindowMilliseconds { get; set; } = 1;

    /// <summary>The most songs one shared batch steps at once.</summary>
    public int MaxBatch { get; set; } = 64;

    public int DefaultSteps { get; set; } = GenerationRequest.DefaultSteps;

    public int MaxSteps { get; set; } = 2048;

    public int MaxCount { get; set; } = 16;

    /// <summary>The longest song one request may ask for by duration (seconds), instead of by steps.</summary>
    public double MaxDurationSeconds { get; set; } = 600;

    public int MaxBodyBytes { get; set; } = 4096;

    public string ResolvedModelPath => Path.IsPathRooted(ModelPath) ? ModelPath : Path.Combine(AppContext.BaseDirectory, ModelPath);

    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(ModelPath))
            yield return "Generation:ModelPath must name the exported model";
        if (Threads < 0)
            yield return $"Generation:Threads must be 0 or more, not {Threads}";
        if (BatchWindowMilliseconds is < 0 or > 1000)
            yield return $"Generation:BatchWindowMilliseconds must be between 0 and 1000, not {BatchWindowMilliseconds}";
        if (MaxBatch is < 1 or > 1024)
            yield return $"Generation:MaxBatch must be between 1 and 1024, not {MaxBatch}";
        if (MaxSteps is < 1 or > GenerationRequest.MaxSteps)
            yield return $"Generation:MaxSteps must be between 1 and {GenerationRequest.MaxSteps}, not {MaxSteps}";
        if (DefaultSteps < 1 || DefaultSteps > MaxSteps)
            yield return $"Generation:DefaultSteps must be between 1 and MaxSteps ({MaxSteps}), not {DefaultSteps}";
        if (MaxDurationSeconds is < 1 or > GenerationRequest.MaxDurationSeconds)
            yield return $"Generation:MaxDurationSeconds must be between 1 and {GenerationRequest.MaxDurationSeconds}, not {MaxDurationSeconds}";
        if (MaxCount is < 1 or > 1000)
            yield return $"Generation:MaxCount must be between 1 and 1000, not {MaxCount}";
        if (MaxBodyBytes is < 64 or > 1_048_576)
            yield return $"Generation:MaxBodyBytes must be between 64 and 1048576, not {MaxBodyBytes}";
    }
}
