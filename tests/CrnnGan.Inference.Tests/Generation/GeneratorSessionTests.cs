using CrnnGan.Inference.Generation;
using CrnnGan.Inference.Generation.Encodings;
using CrnnGan.TestSupport;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Onnx;

namespace CrnnGan.Inference.Tests.Generation;

public sealed class GeneratorSessionTests
{
    [Fact]
    public void Auto_chooses_the_cpu_with_one_plain_line_naming_what_is_missing_where_cuda_libraries_are_absent()
    {
        Assert.SkipWhen(CudaPrerequisites.Missing().Count == 0, "This machine has CUDA's libraries.");
        var logger = new CountingLogger();

        using var session = GeneratorSession.Open(FixtureModels.OneTonePerStep, new GeneratorSessionOptions(ExecutionProvider.Auto), logger);

        Assert.Equal(ExecutionProvider.Cpu, session.Provider);
        Assert.Empty(logger.Warnings);
        var line = Assert.Single(logger.Lines);
        Assert.Contains("on the CPU (CUDA libraries not found: CUDA runtime 13 (libcudart.so.13)", line, StringComparison.Ordinal);
        Assert.StartsWith("auto chose the CPU: CUDA libraries not found", session.ProviderReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Cuda_fails_with_a_clear_error_where_cuda_is_missing()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            GeneratorSession.Open(FixtureModels.OneTonePerStep, new GeneratorSessionOptions(ExecutionProvider.Cuda))
        );

        Assert.Contains("CUDA execution provider is not available", error.Message, StringComparison.Ordinal);
        Assert.True(CudaPrerequisites.Missing().Count == 0 || error.Message.Contains("libcudart", StringComparison.Ordinal), error.Message);
    }

    [Fact]
    public void The_model_describes_itself()
    {
        using var session = GeneratorSession.Open(FixtureModels.ThreeTonesPerStep, new GeneratorSessionOptions(ExecutionProvider.Cpu));

        var m = session.Metadata;
        Assert.Equal(
            (3, 10, 10, 16, 2, 120.0),
            (((ContinuousEncoding)m.Encoding).TonesPerStep, m.Features, m.NoiseSize, m.HiddenSize, m.Layers, m.DefaultTempoBpm)
        );
        Assert.Equal("fixture", m.CodeVersion);
    }

    [Fact]
    public void A_model_without_a_metadata_key_is_refused_naming_the_key()
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(FixtureModels.OneTonePerStep));
        model.MetadataProps.Remove(model.MetadataProps.Single(p => p.Key == "crnngan.hidden_size"));

        var error = Assert.Throws<InvalidDataException>(() =>
            GeneratorSession.Load(model.ToByteArray(), new GeneratorSessionOptions(ExecutionProvider.Cpu))
        );

        Assert.Contains("crnngan.hidden_size", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_of_another_contract_version_or_signature_is_refused()
    {
        var newer = ModelProto.Parser.ParseFrom(File.ReadAllBytes(FixtureModels.OneTonePerStep));
        newer.MetadataProps.Single(p => p.Key == "crnngan.contract_version").Value = "10";
        var renamed = ModelProto.Parser.ParseFrom(File.ReadAllBytes(FixtureModels.OneTonePerStep));
        renamed.Graph.Input[0].Name = "z";
        foreach (var node in renamed.Graph.Node)
        {
            for (var i = 0; i < node.Input.Count; i++)
                node.Input[i] = node.Input[i] == "noise" ? "z" : node.Input[i];
        }

        var version = Assert.Throws<InvalidDataException>(() =>
            GeneratorSession.Load(newer.ToByteArray(), new GeneratorSessionOptions(ExecutionProvider.Cpu))
        );
        var signature = Assert.Throws<InvalidDataException>(() =>
            GeneratorSession.Load(renamed.ToByteArray(), new GeneratorSessionOptions(ExecutionProvider.Cpu))
        );

        Assert.Contains("contract version 10", version.Message, StringComparison.Ordinal);
        Assert.Contains("no input 'noise'", signature.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_or_corrupt_file_is_refused()
    {
        using var folder = new TemporaryFolder();
        var corrupt = folder.Write("corrupt.onnx", [.. File.ReadAllBytes(FixtureModels.OneTonePerStep).Take(500)]);

        Assert.Throws<FileNotFoundException>(() => GeneratorSession.Open(Path.Combine(folder.Path, "none.onnx")));
        var error = Assert.Throws<InvalidDataException>(() => GeneratorSession.Open(corrupt, new GeneratorSessionOptions(ExecutionProvider.Cpu)));
        Assert.Contains("not a valid ONNX model", error.Message, StringComparison.Ordinal);
    }

    private sealed class CountingLogger : ILogger
    {
        public List<string> Warnings { get; } = [];

        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
                Warnings.Add(formatter(state, exception));
            Lines.Add(formatter(state, exception));
        }
    }
}
