using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CrnnGan.Training.Training;

/// <summary>
/// Which of LibTorch's kernels the training library's networks run on.
/// <list type="bullet">
/// <item>LSTMs run on ATen's own LSTM, not oneDNN's RNN primitive, from the first <see cref="Trainer"/> a process
/// builds (<see cref="UseAtenLstm"/>): not as the library loads, since looking the switch up loads LibTorch, which commands
/// that train nothing should not wait for. On the 2-core machine (2 × 350 units, batch 64, 100 steps) ATen's is 1.4×
/// faster forward and back, and it keeps autograd per product, so that a backward pass that needs only the generator's
/// gradients skips the discriminator's weight gradients; oneDNN's primitive computes all of them. The numbers agree
/// with oneDNN's AVX2 kernels. TorchSharp has no switch for it (PyTorch's is <c>torch.backends.mkldnn.enabled</c>), so
/// the library calls LibTorch's <c>at::Context::setUserEnabledMkldnn</c>; where that symbol is not found (a LibTorch
/// built otherwise, or Windows' other name mangling) the default stays, and <see cref="AtenLstm"/> says so.</item>
/// <item>oneDNN (3.7.1 in TorchSharp-cpu 0.107) keeps to its AVX2 kernels, set as the library loads. On a CPU with
/// AVX-512 and bfloat16 (an AMD EPYC of the Zen 4 generation), its AVX-512 LSTM for inference (brgemm, used under
/// no_grad) computes other numbers than its own training LSTM, than its AVX2 kernels and than ONNX Runtime: export
/// parity failed by 0.47 in a logit, and an evaluated discriminator told songs apart at chance. A user's own
/// ONEDNN_MAX_CPU_ISA is kept.</item>
/// </list>
/// </summary>
public static partial class LibTorchKernels
{
    private const string IsaVariable = "ONEDNN_MAX_CPU_ISA";
    private const string LibTorch = "libtorch_cpu";

    private static readonly Lazy<bool> Aten = new(SwitchToAten);

    /// <summary>Whether LSTMs run on ATen's own kernels: true once <see cref="UseAtenLstm"/> has chosen them.</summary>
    public static bool AtenLstm => Aten.IsValueCreated && Aten.Value;

    /// <summary>Runs this process's LSTMs on ATen's own kernels from now on, where LibTorch's switch is found (once a process).</summary>
    public static void UseAtenLstm() => _ = Aten.Value;

    // oneDNN reads the variable once, at its first primitive, from the native environment: before any tensor exists.
    [ModuleInitializer]
    internal static void KeepOneDnnToAvx2()
    {
        if (Environment.GetEnvironmentVariable(IsaVariable) is not null)
            return;
        if (OperatingSystem.IsWindows())
            Environment.SetEnvironmentVariable(IsaVariable, "AVX2");
        else
            _ = SetEnvironment(IsaVariable, "AVX2", overwrite: 0);
    }

    private static bool SwitchToAten()
    {
        if (OperatingSystem.IsWindows())
            return false;
        try
        {
            var context = GlobalContext();
            SetUserEnabledMkldnn(context, false);
            return !UserEnabledMkldnn(context);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnvironment(string name, string value, int overwrite);

    [LibraryImport(LibTorch, EntryPoint = "_ZN2at13globalContextEv")]
    private static partial nint GlobalContext();

    [LibraryImport(LibTorch, EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
    private static partial void SetUserEnabledMkldnn(nint context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [LibraryImport(LibTorch, EntryPoint = "_ZNK2at7Context17userEnabledMkldnnEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static partial bool UserEnabledMkldnn(nint context);
}
