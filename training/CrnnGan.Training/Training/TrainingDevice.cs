using static TorchSharp.torch;

namespace CrnnGan.Training.Training;

/// <summary>Where the networks train: auto (CUDA when LibTorch sees a device, else CPU), cpu or cuda.</summary>
public static class TrainingDevice
{
    public static Device Resolve(string name) =>
        name.ToLowerInvariant() switch
        {
            "cpu" => CPU,
            "cuda" when cuda.is_available() => CUDA,
            "cuda" => throw new ArgumentException(
                "CUDA is not available: this build uses LibTorch for CPU (TorchSharp-cpu), or no CUDA device is visible. Build with "
                    + "-p:TorchBackend=cuda where TorchSharp's CUDA bundle can be restored, or use --device cpu."
            ),
            "auto" => cuda.is_available() ? CUDA : CPU,
            _ => throw new ArgumentException($"Unknown device '{name}': use auto, cpu or cuda."),
        };
}
