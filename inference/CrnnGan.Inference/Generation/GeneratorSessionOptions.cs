namespace CrnnGan.Inference.Generation;

/// <summary>How a <see cref="GeneratorSession"/> runs its model.</summary>
/// <param name="Provider">Auto, Cpu or Cuda.</param>
/// <param name="IntraOpThreads">Threads for one step's operators; 0 lets ONNX Runtime choose (one per core).</param>
/// <param name="AllowSpinning">Let idle worker threads spin for the next step: fastest for a dedicated process,
/// wasteful on shared serverless hosts.</param>
/// <param name="CudaDevice">The CUDA device to use.</param>
public sealed record GeneratorSessionOptions(
    ExecutionProvider Provider = ExecutionProvider.Auto,
    int IntraOpThreads = 0,
    bool AllowSpinning = true,
    int CudaDevice = 0
)
{
    /// <summary>CUDA when present, else the CPU; ONNX Runtime's own thread count.</summary>
    public static GeneratorSessionOptions Default { get; } = new();
}
