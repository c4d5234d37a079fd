using System.Runtime.InteropServices;
using Onnx;
using static TorchSharp.torch;

namespace CrnnGan.Training.Export;

/// <summary>
/// An exported tone model's weights back into a <see cref="ToneGenerator"/>, the inverse of
/// <see cref="OnnxExporter"/>, so that a run can start from a model whose checkpoint is gone. Each LSTM layer's
/// stacked [W_ih | W_hh] is split again; its one bias (b_ih + b_hh) becomes b_ih, with b_hh 0, which computes the
/// same. Exporting the imported generator gives the same graph and weights. A generator whose length head reads the
/// drawn time may start from a model whose head does not, one that reads where each tone falls in the bar from a model
/// that does not, one that looks back more bars than the model, and one that reads its song's timing from a model that
/// does not (or adds a row of time logits for the place): the correction and the new embeddings stay 0, so it computes
/// what the model does.
/// </summary>
public static class OnnxImport
{
    /// <summary>The model's metadata: a tone model with fp32 weights.</summary>
    /// <exception cref="InvalidDataException">Not a tone model this exporter wrote, or its weights are not fp32.</exception>
    public static ModelMetadata Metadata(byte[] onnx) => Read(ModelProto.Parser.ParseFrom(onnx)).Metadata;

    /// <summary>The model's tone encoding (its bins and sampling defaults), checked as <see cref="Metadata"/> checks it.</summary>
    public static ToneEncoding Encoding(byte[] onnx) => Read(ModelProto.Parser.ParseFrom(onnx)).Encoding;

    private static (ModelMetadata Metadata, ToneEncoding Encoding) Read(ModelProto model)
    {
        var metadata = ModelMetadata.Parse(model.MetadataProps.ToDictionary(p => p.Key, p => p.Value));
        var encoding = metadata.EncodingAs<ToneEncoding>("Only a tone model's weights can be imported (the paper's model has its checkpoints)");
        if (metadata.Weights != ModelMetadata.Fp32)
            throw new InvalidDataException($"The model's weights are {metadata.Weights}; import needs the fp32 model it was made from.");
        return (metadata, encoding);
    }

    /// <summary>Copies the model's weights into <paramref name="generator"/>, whose settings must give every weight its shape.</summary>
    /// <exception cref="InvalidDataException">A weight is missing or of another shape; the message names it.</exception>
    public static void LoadWeights(byte[] onnx, ToneGenerator generator)
    {
        var model = ModelProto.Parser.ParseFrom(onnx);
        Read(model);
        var initializers = model.Graph.Initializer.ToDictionary(t => t.Name);
        var hidden = generator.Settings.HiddenSize;
        var timed = initializers.Keys.Any(IsTimedLength);
        var pitched = initializers.Keys.Any(IsTimedPitch);
        var context = Unstacked(initializers, hidden).Concat(UnstackedHeads(initializers, generator.HeadSizes)).ToDictionary();
        if (timed && !generator.LengthGivenTime)
            throw new InvalidDataException("The model's length head reads the drawn time; the settings' generator has no length_given_time.");
        if (pitched && !generator.PitchGivenTime)
            throw new InvalidDataException("The model's pitch head reads the drawn time; the settings' generator has no pitch_given_time.");
        var positioned = initializers.ContainsKey("position.weight") || context.ContainsKey("position.weight");
        if (positioned && !generator.BarPosition)
            throw new InvalidDataException("The model reads where each tone falls in the bar; the settings' generator has no bar_position.");
        var timing = initializers.ContainsKey("timing.weight");
        if (timing && !generator.Timing)
            throw new InvalidDataException("The model reads its song's timing; the settings' generator has no timing.");
        var lookback = context.Keys.Count(n => n.StartsWith("lookback.", StringComparison.Ordinal)) / ToneFeedback.ColumnsPerBar;
        if (lookback > generator.LookbackBars)
            throw new InvalidDataException($"The model looks back {lookback} bars; the settings' generator {generator.LookbackBars}.");
        using var noGrad = no_grad();
        foreach (var (name, parameter) in generator.state_dict())
        {
            // A model whose length head does not read the time leaves the generator's correction as it starts: 0.
            if (
                !timed && IsTimedLength(name)
                || !positioned && name.StartsWith("position.", StringComparison.Ordinal)
                || !timing && name.StartsWith("timing.", StringComparison.Ordinal)
                || name.StartsWith("placeTime.", StringComparison.Ordinal) && !initializers.ContainsKey(name)
                || !pitched && IsTimedPitch(name)
                || IsNewLookback(name)
            )
                continue;
            var values = name switch
            {
                _ when name.StartsWith("lstm.weight_ih_l", StringComparison.Ordinal) => Columns(Floats(Lstm(name), "weight"), 4 * hidden, 0, ^hidden),
                _ when name.StartsWith("lstm.weight_hh_l", StringComparison.Ordinal) => Columns(
                    Floats(Lstm(name), "weight"),
                    4 * hidden,
                    ^hidden,
                    ^0
                ),
                _ when name.StartsWith("lstm.bias_ih_l", StringComparison.Ordinal) => Floats(Lstm(name), "bias"),
                _ when name.StartsWith("lstm.bias_hh_l", StringComparison.Ordinal) => new float[4 * hidden],
                _ => Floats(name, null),
            };
            if (values.LongLength != parameter.numel())
                throw new InvalidDataException(
                    $"The model's {name} holds {values.Length} weights where the settings' generator has {parameter.numel()}: other model settings."
                );
            parameter.copy_(tensor(values).reshape(parameter.shape));
        }

        static bool IsTimedLength(string name) => name.StartsWith("timedLength.", StringComparison.Ordinal);

        static bool IsTimedPitch(string name) => name.StartsWith("timedPitch.", StringComparison.Ordinal);

        // A lookback longer than the model's, or a copy it lacks, starts at 0.
        bool IsNewLookback(string name) =>
            name.StartsWith("lookback.", StringComparison.Ordinal) && !context.ContainsKey(name)
            || name.StartsWith("lookbackCopy.", StringComparison.Ordinal) && !initializers.ContainsKey(name);

        // The layer's index from PyTorch's name (e.g. lstm.weight_ih_l1 → lstm.1).
        static string Lstm(string name) => $"lstm.{name[(name.LastIndexOf('l') + 1)..]}";

        float[] Floats(string name, string? part)
        {
            var key = part is null ? name : $"{name}.{part}";
            return context.TryGetValue(key, out var unstacked) ? unstacked
                : initializers.TryGetValue(key, out var t) && t.DataType == (int)TensorProto.Types.DataType.Float
                    ? MemoryMarshal.Cast<byte, float>(t.RawData.Span).ToArray()
                : throw new InvalidDataException($"The model has no fp32 weight {key}: it was not written by crnngan-train export.");
        }
    }

    /// <summary>
    /// The bar's place's and the lookback's tables of a model that looks back, which the exporter stacks into
    /// <see cref="OnnxExporter.ContextTable"/> (the place's 192 rows, then 129, 194 and 3 a bar); none otherwise.
    /// </summary>
    private static Dictionary<string, float[]> Unstacked(Dictionary<string, TensorProto> initializers, int hidden)
    {
        if (!initializers.TryGetValue(OnnxExporter.ContextTable, out var table))
            return [];
        var stacked = MemoryMarshal.Cast<byte, float>(table.RawData.Span);
        var bar = ToneFeedback.ColumnValues;
        var rowsPerBar = bar.Sum();
        var bars = (stacked.Length / hidden - ToneVocabulary.BarSteps) / rowsPerBar;
        if (stacked.Length != (ToneVocabulary.BarSteps + bars * rowsPerBar) * hidden)
            throw new InvalidDataException($"The model's {OnnxExporter.ContextTable} is not the bar's place and whole bars of lookback.");
        int[] rows = [ToneVocabulary.BarSteps, .. Enumerable.Range(0, bars).SelectMany(_ => bar)];
        string[] names = ["position.weight", .. Enumerable.Range(0, rows.Length - 1).Select(i => $"lookback.{i}.weight")];
        var tables = new Dictionary<string, float[]>();
        Slice(stacked, names, rows, hidden, tables);
        return tables;
    }

    /// <summary>
    /// Each head's weight and bias, and each correction given the time's U_h and b (the timed length's, then the timed
    /// pitch's), from the tables the exporter stacks them in (<see cref="OnnxExporter.HeadsTable"/>, <see
    /// cref="OnnxExporter.HeadsBias"/>); none for a model exported with a Gemm a head.
    /// </summary>
    private static Dictionary<string, float[]> UnstackedHeads(Dictionary<string, TensorProto> initializers, IReadOnlyList<int> sizes)
    {
        if (!initializers.TryGetValue(OnnxExporter.HeadsTable, out var table) || !initializers.TryGetValue(OnnxExporter.HeadsBias, out var biases))
            return [];
        var weight = MemoryMarshal.Cast<byte, float>(table.RawData.Span);
        var bias = MemoryMarshal.Cast<byte, float>(biases.RawData.Span);
        // A correction's width is its table of time rows' second dimension.
        var timed = TimedCorrections.Where(p => initializers.ContainsKey($"{p}.times.weight")).ToArray();
        string[] parts = [.. sizes.Select((_, k) => $"heads.{k}"), .. timed.Select(p => $"{p}.hidden")];
        int[] rows = [.. sizes, .. timed.Select(p => (int)initializers[$"{p}.times.weight"].Dims[1])];
        if (rows.Sum() != bias.Length || weight.Length % bias.Length != 0)
            throw new InvalidDataException($"The model's {OnnxExporter.HeadsTable} is not its heads' weights stacked.");
        var tables = new Dictionary<string, float[]>();
        Slice(weight, [.. parts.Select(p => $"{p}.weight")], rows, weight.Length / bias.Length, tables);
        Slice(bias, [.. parts.Select(p => $"{p}.bias")], rows, 1, tables);
        return tables;
    }

    /// <summary>The corrections given the time, in the order the exporter stacks their U_h after the heads'.</summary>
    private static readonly string[] TimedCorrections = ["timedLength", "timedPitch"];

    /// <summary>Tables stacked row-wise, [Σ rows × width], back into <paramref name="tables"/> under their names.</summary>
    private static void Slice(ReadOnlySpan<float> stacked, string[] names, int[] rows, int width, Dictionary<string, float[]> tables)
    {
        var start = 0;
        for (var i = 0; i < names.Length; i++)
        {
            tables[names[i]] = stacked.Slice(start * width, rows[i] * width).ToArray();
            start += rows[i];
        }
    }

    /// <summary>Columns <paramref name="from"/> to <paramref name="to"/> of a [rows × columns] matrix.</summary>
    private static float[] Columns(float[] matrix, int rows, Index from, Index to)
    {
        var columns = matrix.Length / rows;
        var (start, end) = (from.GetOffset(columns), to.GetOffset(columns));
        var result = new float[rows * (end - start)];
        for (var r = 0; r < rows; r++)
            matrix.AsSpan(r * columns + start, end - start).CopyTo(result.AsSpan(r * (end - start)));
        return result;
    }
}
