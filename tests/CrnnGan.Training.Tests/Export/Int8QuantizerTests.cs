using System.Runtime.InteropServices;
using CrnnGan.Inference.Generation;
using CrnnGan.TestSupport;
using CrnnGan.Training.Export;
using Google.Protobuf;
using Onnx;

namespace CrnnGan.Training.Tests.Export;

/// <summary>int8 weights for the bundled tone model: the parity check that .ci/run runs, and what it refuses.</summary>
public sealed class Int8QuantizerTests
{
    [Fact]
    public void The_bundled_model_in_int8_keeps_its_distributions_within_tolerance_in_under_two_fifths_of_the_bytes()
    {
        var fp32 = Repository.ModelBytes("crnngan.onnx");

        var (int8, parity) = Int8Quantizer.QuantizeChecked(fp32, seed: 0);

        Assert.True(parity.Passed, parity.ToString());
        // The products' weights take a quarter of their bytes; the tables the model gathers rows from stay fp32.
        Assert.True(int8.Length < fp32.Length * 2 / 5, $"{int8.Length} bytes against {fp32.Length}");
        Assert.Equal(Repository.ModelBytes("crnngan-int8.onnx"), int8);
        using var session = GeneratorSession.Load(int8, new GeneratorSessionOptions(ExecutionProvider.Cpu));
        Assert.Equal(Int8Quantizer.Weights, session.Metadata.Weights);
    }

    [Fact]
    public void An_int8_model_of_other_weights_fails_the_parity_check_and_one_of_another_contract_is_refused_by_name()
    {
        var fp32 = Repository.ModelBytes("crnngan.onnx");
        // Other weights: the default's heads turned round, every logit's sign flipped.
        var other = ModelProto.Parser.ParseFrom(fp32);
        var heads = other.Graph.Initializer.Single(t => t.Name == OnnxExporter.HeadsTable);
        var weights = MemoryMarshal.Cast<byte, float>(heads.RawData.ToByteArray()).ToArray().Select(w => -w).ToArray();
        heads.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(weights.AsSpan()));

        var parity = QuantizedParity.Run(fp32, Int8Quantizer.Quantize(other.ToByteArray()), 8, 256, 0);
        var refused = Assert.Throws<InvalidDataException>(() =>
            QuantizedParity.Run(fp32, Int8Quantizer.Quantize(Repository.ModelBytes("crnngan-drifted-baseline.onnx")), 8, 16, 0)
        );

        Assert.False(parity.Passed, parity.ToString());
        Assert.Contains("contract version 7 and the fp32 model version 8", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_papers_model_and_a_model_already_in_int8_are_refused()
    {
        var paper = Assert.Throws<InvalidDataException>(() => Int8Quantizer.Quantize(Repository.ModelBytes("paper-crnngan.onnx")));
        var twice = Assert.Throws<InvalidDataException>(() => Int8Quantizer.Quantize(Repository.ModelBytes("crnngan-int8.onnx")));

        Assert.Contains("tone family", paper.Message, StringComparison.Ordinal);
        Assert.Contains("already", twice.Message, StringComparison.Ordinal);
    }
}
