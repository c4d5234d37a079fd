namespace CrnnGan.Inference.Generation;

/// <summary>Where ONNX Runtime runs the generator.</summary>
public enum ExecutionProvider
{
    /// <summary>CUDA when its libraries and a device are there; otherwise CPU, with one warning.</summary>
    Auto,

    /// <summary>The CPU.</summary>
    Cpu,

    /// <summary>CUDA or a clear error: never a silent fallback.</summary>
    Cuda,
}
