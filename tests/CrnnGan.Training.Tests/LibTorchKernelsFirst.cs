using System.Runtime.CompilerServices;
using CrnnGan.Training.Training;

namespace CrnnGan.Training.Tests;

/// <summary>
/// Runs the training library's module initializer (its kernel choice, <c>LibTorchKernels</c>) as this assembly loads:
/// a test that calls TorchSharp before it touches a training type would otherwise start LibTorch first, and oneDNN would
/// keep its AVX-512 kernels for the whole run, whose numbers the parity and recorded-loss tests do not match.
/// </summary>
internal static class LibTorchKernelsFirst
{
    [ModuleInitializer]
    internal static void Run() => RuntimeHelpers.RunModuleConstructor(typeof(Trainer).Module.ModuleHandle);
}
