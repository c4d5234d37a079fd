using Microsoft.ML.OnnxRuntime;

namespace CrnnGan.Inference.Generation.Steps;

/// <summary>A binding and the tensors made for it, disposed together.</summary>
internal sealed class BoundStep(OrtIoBinding binding, List<OrtValue> values) : IDisposable
{
    public OrtIoBinding Binding { get; } = binding;

    public void Dispose()
    {
        Binding.Dispose();
        foreach (var value in values)
            value.Dispose();
    }
}
