using System.Runtime.InteropServices;

namespace CrnnGan.Inference.Generation;

/// <summary>
/// The native libraries ONNX Runtime's CUDA provider (GPU package 1.31, built for CUDA 13) loads: the CUDA runtime,
/// cuBLAS, cuBLASLt and cuRAND. They are checked before the provider is appended, so that a machine without them
/// chooses the CPU quietly instead of ONNX Runtime printing a native error. cuDNN is not among them: the exported
/// graphs use plain ops (Gemm, Gather, Sigmoid, Tanh), none of which runs on cuDNN.
/// </summary>
public static class CudaPrerequisites
{
    private static readonly (string Name, string Linux, string Windows)[] Libraries =
    [
        ("CUDA runtime 13", "libcudart.so.13", "cudart64_13.dll"),
        ("cuBLAS 13", "libcublas.so.13", "cublas64_13.dll"),
        ("cuBLASLt 13", "libcublasLt.so.13", "cublasLt64_13.dll"),
        ("cuRAND 10", "libcurand.so.10", "curand64_10.dll"),
    ];

    /// <summary>The libraries that do not load here, each as "name (file)"; empty when all do.</summary>
    public static IReadOnlyList<string> Missing() =>
        [
            .. Libraries
                .Select(l => (l.Name, File: OperatingSystem.IsWindows() ? l.Windows : l.Linux))
                .Where(l => !Loads(l.File))
                .Select(l => $"{l.Name} ({l.File})"),
        ];

    private static bool Loads(string file)
    {
        if (!NativeLibrary.TryLoad(file, out var handle))
            return false;
        NativeLibrary.Free(handle);
        return true;
    }
}
