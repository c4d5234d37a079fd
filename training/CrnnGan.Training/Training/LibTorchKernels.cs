using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CrnnGan.Training.Training;

/// <summary>
/// Keeps LibTorch's oneDNN (3.7.1 in TorchSharp-cpu 0.107) to its AVX2 kernels. On a CPU with AVX-512 and bfloat16
/// (an AMD EPYC of the Zen 4 generation), its AVX-512 LSTM for inference (brgemm, used under no_grad) computes other
/// numbers than its own training LSTM, than its AVX2 kernels and than ONNX Runtime: export parity failed by 0.47 in a
/// logit, and an evaluated discriminator told songs apart at chance. The AVX2 kernels agree with all of them. A
/// user's own ONEDNN_MAX_CPU_ISA is kept.
/// </summary>
internal static partial class OneDnnKernels
{
    private const string Variable = "ONEDNN_MAX_CPU_ISA";

    // oneDNN reads the variable once, at its first primitive, from the native environment: before any tensor exists.
    [ModuleInitializer]
    internal static void KeepToAvx2()
    {
        if (Environment.GetEnvironmentVariable(Variable) is not null)
            return;
        if (OperatingSystem.IsWindows())
            Environment.SetEnvironmentVariable(Variable, "AVX2");
        else
            _ = SetEnvironment(Variable, "AVX2", overwrite: 0);
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnvironment(string name, string value, int overwrite);
}
