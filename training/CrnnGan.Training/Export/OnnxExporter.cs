using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using static TorchSharp.torch;
using Generator = CrnnGan.Training.Model.Generator;

namespace CrnnGan.Training.Export;

/// <summary>
/// Writes the generator's step (see <see cref="ModelContract"/>) as an ONNX graph, opset 17, built op by op
/// from the trained weights: TorchSharp has no ONNX exporter.
/// <para>
/// The LSTM cells are plain ops rather than ONNX's LSTM op: one Gemm per layer on [x, h] against the stacked
/// [W_ih | W_hh] (PyTorch's gate order i, f, g, o kept, so no reordering), Split, Sigmoid, Tanh, Mul, Add.
/// They run on every execution provider without cuDNN, the LSTM op would run one time step per call anyway,
/// and the fused Gemm is the same arithmetic ONNX Runtime's LSTM kernel does. Dropout is left out: an
/// exported generator samples.
/// </para>
/// </summary>
public static class OnnxExporter
{
    private const int Opset = 17;

    public static byte[] Export(Generator generator, ModelMetadata metadata)
    {
        var m = generator.Settings;
        var weights = generator.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().cpu().contiguous().data<float>().ToArray());
        var graph = new GraphProto { Name = "crnngan_generator_step" };
        var nodes = new NodeBuilder(graph);

        graph.Input.Add(Value(ModelContract.Noise, ModelContract.Batch, m.Noise));
        graph.Input.Add(Value(ModelContract.Previous, ModelContract.Batch, m.Features));
        graph.Input.Add(Value(ModelContract.Hidden, m.Layers, ModelContract.Batch, m.HiddenSize));
        graph.Input.Add(Value(ModelContract.Cell, m.Layers, ModelContract.Batch, m.HiddenSize));
        graph.Output.Add(Value(ModelContract.Output, ModelContract.Batch, m.Features));
        graph.Output.Add(Value(ModelContract.HiddenOut, m.Layers, ModelContract.Batch, m.HiddenSize));
        graph.Output.Add(Value(ModelContract.CellOut, m.Layers, ModelContract.Batch, m.HiddenSize));

        // x_t = ReLU(W_in · [z_t, y_{t−1}] + b_in)
        graph.Initializer.Add(Floats("input.weight", weights["input.weight"], m.HiddenSize, m.Noise + m.Features));
        graph.Initializer.Add(Floats("input.bias", weights["input.bias"], m.HiddenSize));
        var x = nodes.Add("Concat", [ModelContract.Noise, ModelContract.Previous], Int("axis", 1));
        x = nodes.Add("Relu", [nodes.Add("Gemm", [x, "input.weight", "input.bias"], Int("transB", 1))]);

        x = Lstm(graph, nodes, x, m.Layers, m.HiddenSize, layer => Gates(weights, name => $"lstm.{layer}.{name}"));

        // y_t = W_out · h_t + b_out
        graph.Initializer.Add(Floats("output.weight", weights["output.weight"], m.Features, m.HiddenSize));
        graph.Initializer.Add(Floats("output.bias", weights["output.bias"], m.Features));
        nodes.Add("Gemm", [x, "output.weight", "output.bias"], ModelContract.Output, Int("transB", 1));

        return Finish(graph, metadata);
    }

    /// <summary>
    /// The tone family's generator step (contract version 2, see <see cref="ModelContract"/>): the input layer gathered from
    /// tables (<see cref="Input"/>), the LSTM as above, and the heads' logits one Gemm and a Split. Sampling stays in the host.
    /// A length head that reads the drawn time (version 3) gives its logits for every time class at once, and so does a pitch
    /// head that reads it (version 7), the pitches out of the chord's order masked in the row of the time 0. A step that draws
    /// the time (version 8, <see cref="DrawTime"/>) gives those heads' logits for the time it drew alone.
    /// </summary>
    public static byte[] Export(ToneGenerator generator, ModelMetadata metadata)
    {
        var encoding = metadata.EncodingAs<ToneEncoding>("A tone generator's step exports with a tone model's metadata");
        if (
            encoding.LengthGivenTime != generator.LengthGivenTime
            || encoding.BarPosition != generator.BarPosition
            || encoding.LookbackBars != generator.LookbackBars
            || encoding.Timing != generator.Timing
            || encoding.PitchGivenTime != generator.PitchGivenTime
            || encoding.TimeInStep && !generator.PitchGivenTime
        )
            throw new ArgumentException("The metadata's contract version and the generator's inputs and heads do not agree.", nameof(metadata));
        var m = generator.Settings;
        var sizes = generator.HeadSizes;
        var weights = generator.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().cpu().contiguous().data<float>().ToArray());
        var graph = new GraphProto { Name = "crnngan_tone_generator_step" };
        var nodes = new NodeBuilder(graph);

        graph.Input.Add(Value(ModelContract.Noise, ModelContract.Batch, m.Noise));
        graph.Input.Add(Value(ModelContract.PreviousTone, TensorProto.Types.DataType.Int64, ModelContract.Batch, encoding.PreviousWidth));
        graph.Input.Add(Value(ModelContract.Hidden, m.Layers, ModelContract.Batch, m.HiddenSize));
        graph.Input.Add(Value(ModelContract.Cell, m.Layers, ModelContract.Batch, m.HiddenSize));
        if (encoding.TimeInStep)
        {
            graph.Input.Add(Value(ModelContract.TimeDraw, ModelContract.Batch, 3));
            graph.Input.Add(Value(ModelContract.ClosedTime, TensorProto.Types.DataType.Int64, ModelContract.Batch, 1));
            graph.Input.Add(Value(ModelContract.TimeBias, ModelContract.Batch, sizes[ToneVocabulary.TimeHead]));
        }
        for (var k = 0; k < sizes.Count; k++)
            graph.Output.Add(
                Value(ModelContract.Logits(ToneVocabulary.Heads[k]), [ModelContract.Batch, .. encoding.LogitShape(k).Select(d => (object)(int)d)])
            );
        if (encoding.TimeInStep)
            graph.Output.Add(Value(ModelContract.TimeDrawn, TensorProto.Types.DataType.Int64, ModelContract.Batch, 1));
        graph.Output.Add(Value(ModelContract.HiddenOut, m.Layers, ModelContract.Batch, m.HiddenSize));
        graph.Output.Add(Value(ModelContract.CellOut, m.Layers, ModelContract.Batch, m.HiddenSize));

        var x = Input(graph, nodes, generator, weights, encoding.PreviousWidth);
        x = Lstm(graph, nodes, x, m.Layers, m.HiddenSize, layer => Gates(weights, name => $"lstm.{name}_l{layer}"));

        var copies = generator.Copy is { } copy ? Copies(graph, nodes, x, copy, generator.LookbackBars, weights, sizes.Count) : [];
        if (generator.TimeGivenPlace)
        {
            var placed = PlaceTime(graph, nodes, generator, weights, encoding.PreviousWidth);
            copies[ToneVocabulary.TimeHead] = copies.TryGetValue(ToneVocabulary.TimeHead, out var copied)
                ? nodes.Add("Add", [copied, placed])
                : placed;
        }

        // A head's part of the Split is its output, unless the copy, the place's time row or a correction given the time adds to it.
        bool Direct(int k) => !copies.ContainsKey(k) && !encoding.GivenTime(k);
        string[] named =
        [
            .. Enumerable.Range(0, sizes.Count).Select(k => Direct(k) ? ModelContract.Logits(ToneVocabulary.Heads[k]) : $"head_{k}"),
            .. TimedParts(generator).Select(p => p.Hidden),
        ];
        var head = Heads(graph, nodes, x, generator, weights, named);
        // Each head after the time's, which a step that draws the time draws before the heads that read it.
        string? drawn = null;
        foreach (var k in generator.DrawOrder)
        {
            var logits = ModelContract.Logits(ToneVocabulary.Heads[k]);
            if (k == ToneVocabulary.LengthHead && generator.LengthGivenTime)
                Timed(graph, nodes, "timedLength", head[k], named[^TimedParts(generator).Length], logits, weights, sizes, k, drawn);
            else if (k == ToneVocabulary.PitchHead && generator.PitchGivenTime)
            {
                var timed = Timed(graph, nodes, "timedPitch", head[k], named[^1], $"timed_{logits}", weights, sizes, k, drawn);
                if (copies.TryGetValue(k, out var copied))
                    timed = nodes.Add("Add", [timed, drawn is null ? nodes.Add("Unsqueeze", [copied, "axis_1"]) : copied]);
                InOrder(graph, nodes, timed, logits, encoding.Vocabulary.ZeroTime, sizes[ToneVocabulary.TimeHead], drawn);
            }
            else if (!Direct(k))
                nodes.Add("Add", [head[k], copies[k]], logits);
            if (k == ToneVocabulary.TimeHead && encoding.TimeInStep)
                drawn = DrawTime(graph, nodes, logits, sizes[k]);
        }
        return Finish(graph, metadata);
    }

    /// <summary>
    /// The corrections given the time that the generator has, in the order their U_h · h_t + b follow the heads': each
    /// module's name and its part of the heads' Split.
    /// </summary>
    private static (string Module, string Hidden)[] TimedParts(ToneGenerator generator) =>
        [
            .. generator.LengthGivenTime ? [("timedLength", "timed_length_hidden")] : Array.Empty<(string, string)>(),
            .. generator.PitchGivenTime ? [("timedPitch", "timed_pitch_hidden")] : Array.Empty<(string, string)>(),
        ];

    /// <summary>
    /// logits_k = W_k · h_t + b_k for every head, and each correction given the time's U_h · h_t + b after them, as one Gemm
    /// against the weights stacked into <see cref="HeadsTable"/>, then a Split into the parts <paramref name="named"/>: one
    /// product over h_t rather than five, which the int8 model quantizes once a step rather than five times.
    /// </summary>
    private static string[] Heads(
        GraphProto graph,
        NodeBuilder nodes,
        string h,
        ToneGenerator generator,
        Dictionary<string, float[]> weights,
        string[] named
    )
    {
        var hidden = generator.Settings.HiddenSize;
        string[] parts =
        [
            .. Enumerable.Range(0, generator.HeadSizes.Count).Select(k => $"heads.{k}"),
            .. TimedParts(generator).Select(p => $"{p.Module}.hidden"),
        ];
        long[] rows = [.. parts.Select(p => (long)weights[$"{p}.weight"].Length / hidden)];
        graph.Initializer.Add(Floats(HeadsTable, [.. parts.SelectMany(p => weights[$"{p}.weight"])], rows.Sum(), hidden));
        graph.Initializer.Add(Floats(HeadsBias, [.. parts.SelectMany(p => weights[$"{p}.bias"])], rows.Sum()));
        graph.Initializer.Add(Ints("heads_split", rows, rows.Length));
        var all = nodes.Add("Gemm", [h, HeadsTable, HeadsBias], Int("transB", 1));
        return nodes.AddMany("Split", [all, "heads_split"], named, Int("axis", 1));
    }

    /// <summary>
    /// T[b_{t−1} mod 12, s], the time logits' row for the place within the sixteenth (of previous_tone's column after the
    /// heads) and, when the generator reads it, the song's timing (its last column): row b mod 12 + 12 s.
    /// </summary>
    private static string PlaceTime(GraphProto graph, NodeBuilder nodes, ToneGenerator generator, Dictionary<string, float[]> weights, int columns)
    {
        var table = weights["placeTime.weight"];
        var times = generator.HeadSizes[ToneVocabulary.TimeHead];
        graph.Initializer.Add(Floats("placeTime.weight", table, table.Length / times, times));
        graph.Initializer.Add(Ints("sixteenth_steps", [ToneVocabulary.SixteenthSteps], 1));
        var row = nodes.Add("Mod", [nodes.Gather(ModelContract.PreviousTone, generator.HeadSizes.Count, axis: 1), "sixteenth_steps"]);
        if (generator.Timing)
        {
            var timing = nodes.Gather(ModelContract.PreviousTone, columns - 1, axis: 1);
            row = nodes.Add("Add", [row, nodes.Add("Mul", [timing, "sixteenth_steps"])]);
        }
        return nodes.Add("Gather", ["placeTime.weight", row], Int("axis", 0));
    }

    /// <summary>The heads' weights stacked, [Σ classes (+ the timed length's width), hidden]: each head's rows in order.</summary>
    public const string HeadsTable = "heads.weight";

    /// <summary>The heads' biases stacked as <see cref="HeadsTable"/> stacks their weights.</summary>
    public const string HeadsBias = "heads.bias";

    /// <summary>
    /// x_t = ReLU(W_in · [z_t, E_1[tone_{t−1, 1}], …, E_4[tone_{t−1, 4}]] + b_in + P[b_{t−1}] + Σ_n (N_n[next pitch] +
    /// O_n[next offset] + R_n[repeat]) + S[s]): the input layer, the bar's place, the lookback and the song's timing. Every
    /// term but the noise's is a row of a table: head k's is T_k = E_k · W_kᵀ (its embedding through its columns of W_in, b_in
    /// added to T_1's rows). Constant nodes compute the tables from the named weights and stack them with the context's and
    /// the timing's (ONNX Runtime folds them when it loads the model, and import reads the weights as they are named), so a
    /// step gathers all its rows at once, each column's index moved to its table's first row, sums them, and adds them to
    /// W_z · z_t in the input's Gemm: a handful of nodes where a Gather, Concat or Add per column cost a step more than their
    /// arithmetic does.
    /// </summary>
    private static string Input(GraphProto graph, NodeBuilder nodes, ToneGenerator generator, Dictionary<string, float[]> weights, int width)
    {
        var (m, sizes) = (generator.Settings, generator.HeadSizes);
        graph.Initializer.Add(Floats("input.weight", weights["input.weight"], m.HiddenSize, m.Noise + sizes.Count * m.EmbeddingSize));
        graph.Initializer.Add(Floats("input.bias", weights["input.bias"], m.HiddenSize));
        graph.Initializer.Add(Ints("input_axis", [1], 1));
        // Each table with the rows of it that previous_tone's columns index, as (column, first row) pairs.
        var tables = new List<(string Table, long Rows)>();
        var reads = new List<(long Column, long FirstRow)>();
        void Stack(string table, long rows, params (long Column, long FirstRow)[] read)
        {
            var start = tables.Sum(t => t.Rows);
            reads.AddRange(read.Select(r => (r.Column, start + r.FirstRow)));
            tables.Add((table, rows));
        }

        for (var k = 0; k < sizes.Count; k++)
        {
            var embedding = $"embeddings.{k}.weight";
            graph.Initializer.Add(Floats(embedding, weights[embedding], sizes[k] + 1, m.EmbeddingSize));
            var table = nodes.Add("MatMul", [embedding, nodes.Add("Transpose", [InputColumns(m.Noise + k * m.EmbeddingSize, m.EmbeddingSize)])]);
            Stack(k == 0 ? nodes.Add("Add", [table, "input.bias"]) : table, sizes[k] + 1, (k, 0));
        }
        if (generator.LookbackBars > 0)
        {
            var rows = Context(graph, generator, weights);
            Stack(ContextTable, rows.Sum(), [.. rows.Select((_, i) => ((long)(sizes.Count + i), rows.Take(i).Sum()))]);
        }
        else if (generator.BarPosition)
        {
            graph.Initializer.Add(Floats("position.weight", weights["position.weight"], ToneVocabulary.BarSteps, m.HiddenSize));
            Stack("position.weight", ToneVocabulary.BarSteps, (sizes.Count, 0));
        }
        if (generator.Timing)
        {
            var timings = Enum.GetValues<SongTiming>().Length;
            graph.Initializer.Add(Floats("timing.weight", weights["timing.weight"], timings, m.HiddenSize));
            Stack("timing.weight", timings, (width - 1, 0));
        }
        graph.Initializer.Add(Ints("input_columns", [.. reads.Select(r => r.Column)], reads.Count));
        graph.Initializer.Add(Ints("input_first_rows", [.. reads.Select(r => r.FirstRow)], reads.Count));
        var stacked = nodes.Add("Concat", tables.Select(t => t.Table), Int("axis", 0));
        var columns = nodes.Add("Gather", [ModelContract.PreviousTone, "input_columns"], Int("axis", 1));
        var gathered = nodes.Add("Gather", [stacked, nodes.Add("Add", [columns, "input_first_rows"])], Int("axis", 0));
        var summed = nodes.Add("ReduceSum", [gathered, "input_axis"], Int("keepdims", 0));
        return nodes.Add("Relu", [nodes.Add("Gemm", [ModelContract.Noise, InputColumns(0, m.Noise), summed], Int("transB", 1))]);

        // Columns [from, from + count) of W_in, a constant Slice.
        string InputColumns(int from, int count)
        {
            var name = $"input_weight_columns_{from}";
            graph.Initializer.Add(Ints($"{name}_start", [from], 1));
            graph.Initializer.Add(Ints($"{name}_end", [from + count], 1));
            return nodes.Add("Slice", ["input.weight", $"{name}_start", $"{name}_end", "input_axis"]);
        }
    }

    /// <summary>
    /// The bar's place P and the lookback's tables (N_n, O_n and R_n of each bar), which previous_tone's columns after the
    /// heads index in order, stacked into <see cref="ContextTable"/> (the name import reads): each table's rows.
    /// </summary>
    private static long[] Context(GraphProto graph, ToneGenerator generator, Dictionary<string, float[]> weights)
    {
        var hidden = generator.Settings.HiddenSize;
        string[] tables =
        [
            "position.weight",
            .. Enumerable.Range(0, generator.LookbackBars * ToneFeedback.ColumnsPerBar).Select(i => $"lookback.{i}.weight"),
        ];
        var rows = tables.Select(t => (long)weights[t].Length / hidden).ToArray();
        graph.Initializer.Add(Floats(ContextTable, [.. tables.SelectMany(t => weights[t])], rows.Sum(), hidden));
        return rows;
    }

    /// <summary>
    /// The lookback copy's corrections (<see cref="LookbackCopy"/>), by head: the pitch's [batch, 128] and the time's
    /// [batch, time classes]. Every bar at once: the bars' gates and repeat tables are stacked by constant Concats (which ONNX
    /// Runtime folds when it loads the model, the weights keeping their names), g [batch, bars, 2] is one product and one
    /// gather, and each head's one-hots are rows of a constant table gathered by the bars' columns, weighed and summed.
    /// </summary>
    private static Dictionary<int, string> Copies(
        GraphProto graph,
        NodeBuilder nodes,
        string h,
        LookbackCopy copy,
        int bars,
        Dictionary<string, float[]> weights,
        int heads
    )
    {
        graph.Initializer.Add(Floats("copy_pitch_rows", copy.PitchRows.data<float>().ToArray(), copy.PitchRows.shape));
        graph.Initializer.Add(Floats("copy_time_rows", copy.TimeRows.data<float>().ToArray(), copy.TimeRows.shape));
        var (gateWeights, gateBiases, repeatTables) = (new List<string>(), new List<string>(), new List<string>());
        for (var n = 0; n < bars; n++)
        {
            var prefix = $"lookbackCopy.gates.{n}";
            var repeats = $"lookbackCopy.repeats.{n}.weight";
            graph.Initializer.Add(Floats($"{prefix}.weight", weights[$"{prefix}.weight"], 2, weights[$"{prefix}.weight"].Length / 2));
            graph.Initializer.Add(Floats($"{prefix}.bias", weights[$"{prefix}.bias"], 2));
            graph.Initializer.Add(Floats(repeats, weights[repeats], ToneFeedback.RepeatValues, 2));
            (gateWeights, gateBiases, repeatTables) = (
                [.. gateWeights, $"{prefix}.weight"],
                [.. gateBiases, $"{prefix}.bias"],
                [.. repeatTables, repeats]
            );
        }
        long[] Columns(int offset) => [.. Enumerable.Range(0, bars).Select(n => (long)(heads + 1 + n * ToneFeedback.ColumnsPerBar + offset))];
        graph.Initializer.Add(Ints("copy_next_pitch_columns", Columns(0), bars));
        graph.Initializer.Add(Ints("copy_next_offset_columns", Columns(1), bars));
        graph.Initializer.Add(Ints("copy_repeat_columns", Columns(2), bars));
        graph.Initializer.Add(Ints("copy_repeat_first_rows", [.. Enumerable.Range(0, bars).Select(n => (long)n * ToneFeedback.RepeatValues)], bars));
        graph.Initializer.Add(Ints("copy_gates_shape", [-1, bars, 2], 3));
        nodes.Shared(Ints("axis_1", [1], 1));

        // g_n = W_n · h_t + b_n + R_n[repeat_n], [batch, bars, 2]: the pitch's and the time's gate of each bar.
        var gates = nodes.Add(
            "Gemm",
            [h, nodes.Add("Concat", gateWeights, Int("axis", 0)), nodes.Add("Concat", gateBiases, Int("axis", 0))],
            Int("transB", 1)
        );
        var repeated = nodes.Add("Add", [Read("copy_repeat_columns"), "copy_repeat_first_rows"]);
        var g = nodes.Add(
            "Add",
            [
                nodes.Add("Reshape", [gates, "copy_gates_shape"]),
                nodes.Add("Gather", [nodes.Add("Concat", repeatTables, Int("axis", 0)), repeated], Int("axis", 0)),
            ]
        );
        var gate = nodes.AddMany("Split", [g], 2, Int("axis", 2));
        return new()
        {
            [ToneVocabulary.PitchHead] = Weighed(gate[0], "copy_pitch_rows", "copy_next_pitch_columns"),
            [ToneVocabulary.TimeHead] = Weighed(gate[1], "copy_time_rows", "copy_next_offset_columns"),
        };

        string Read(string columns) => nodes.Add("Gather", [ModelContract.PreviousTone, columns], Int("axis", 1));

        // Σ_n g_n · onehot(the bar's column), [batch, classes].
        string Weighed(string bars, string rows, string columns) =>
            nodes.Add(
                "ReduceSum",
                [nodes.Add("Mul", [bars, nodes.Add("Gather", [rows, Read(columns)], Int("axis", 0))]), "axis_1"],
                Int("keepdims", 0)
            );
    }

    /// <summary>The stacked tables of the bar's place and the lookback, [Σ rows, hidden], in a model that looks back.</summary>
    public const string ContextTable = "context.weight";

    /// <summary>
    /// Head <paramref name="head"/>'s logits given each time class d, [batch, time classes, classes], of the correction
    /// <paramref name="module"/> (<see cref="TimedLength"/>): W · h_t + b (<paramref name="plain"/>) plus V · ReLU(U_h · h_t + b_U
    /// (<paramref name="fromH"/>) + U_d[d]), every row of U_d at once; or, given the time <paramref name="drawn"/> [batch], [batch,
    /// classes] for that time alone.
    /// </summary>
    private static string Timed(
        GraphProto graph,
        NodeBuilder nodes,
        string module,
        string plain,
        string fromH,
        string output,
        Dictionary<string, float[]> weights,
        IReadOnlyList<int> sizes,
        int head,
        string? drawn
    )
    {
        var times = sizes[ToneVocabulary.TimeHead];
        var width = weights[$"{module}.times.weight"].Length / times;
        graph.Initializer.Add(Floats($"{module}.times.weight", weights[$"{module}.times.weight"], times, width));
        graph.Initializer.Add(Floats($"{module}.output.weight", weights[$"{module}.output.weight"], sizes[head], width));
        nodes.Shared(Ints("axis_1", [1], 1));
        var rows = drawn is null ? $"{module}.times.weight" : nodes.Add("Gather", [$"{module}.times.weight", drawn], Int("axis", 0));
        var a = nodes.Add("Relu", [nodes.Add("Add", [drawn is null ? nodes.Add("Unsqueeze", [fromH, "axis_1"]) : fromH, rows])]);
        var correction = nodes.Add("MatMul", [a, nodes.Add("Transpose", [$"{module}.output.weight"])]);
        return nodes.Add("Add", [correction, drawn is null ? nodes.Add("Unsqueeze", [plain, "axis_1"]) : plain], output);
    }

    /// <summary>
    /// The pitch logits given each time class with −∞ where the encoding never writes a tone: in the row of the time 0
    /// (<paramref name="zeroTime"/>), the pitches at or below the tone before's (a row of a constant table, gathered by
    /// previous_tone's pitch; none after the top key or the start tone). Given the time <paramref name="drawn"/> [batch], the
    /// logits are that time's, masked where it is the time 0.
    /// </summary>
    private static void InOrder(GraphProto graph, NodeBuilder nodes, string logits, string output, int zeroTime, int times, string? drawn)
    {
        const int pitches = ToneVocabulary.Pitches;
        var below = new byte[(pitches + 1) * pitches];
        for (var before = 0; before < pitches - 1; before++)
            below.AsSpan(before * pitches, before + 1).Fill(1);
        var zero = new byte[times];
        zero[zeroTime] = 1;
        graph.Initializer.Add(Raw("pitch_order_mask", TensorProto.Types.DataType.Bool, below, [pitches + 1, pitches]));
        graph.Initializer.Add(Raw("zero_time_rows", TensorProto.Types.DataType.Bool, zero, [times, 1]));
        nodes.Shared(Floats("negative_infinity", [float.NegativeInfinity]));
        var previous = nodes.Gather(ModelContract.PreviousTone, ToneVocabulary.PitchHead, axis: 1);
        var masked = nodes.Add("Gather", ["pitch_order_mask", previous], Int("axis", 0));
        masked = drawn is null
            ? nodes.Add("And", [nodes.Add("Unsqueeze", [masked, "axis_1"]), "zero_time_rows"])
            : nodes.Add("And", [masked, nodes.Add("Gather", ["zero_time_rows", drawn], Int("axis", 0))]);
        nodes.Add("Where", [masked, "negative_infinity", logits], output);
    }

    /// <summary>
    /// The time class a version 8 step draws from <paramref name="logits"/> [batch, <paramref name="times"/>], returned as [batch]
    /// (and written as time_drawn [batch, 1]): what <see cref="ToneSampler.Draw"/> draws at time_draw's uniform number u,
    /// temperature T and nucleus p, from the logits plus time_bias, with closed_time's class at −∞, in single precision.
    /// <code>
    /// w = exp((logits + bias − max) / T)                  the likeliest class at T = 0
    /// kept = w ≥ the smallest of the likeliest whose sum before it is under p · Σ w    (every class at p = 1)
    /// drawn = #{i : Σ_{j ≤ i} kept_j w_j ≤ u · Σ kept w}    the first class whose cumulative weight passes u's share
    /// </code>
    /// </summary>
    private static string DrawTime(GraphProto graph, NodeBuilder nodes, string logits, int times)
    {
        graph.Initializer.Add(Ints("time_classes", [.. Enumerable.Range(0, times).Select(i => (long)i)], times));
        graph.Initializer.Add(Ints("time_count", [times], 1));
        graph.Initializer.Add(Ints("class_axis", [1]));
        nodes.Shared(Ints("axis_1", [1], 1));
        graph.Initializer.Add(Floats("zero", [0f]));
        graph.Initializer.Add(Floats("one", [1f]));
        graph.Initializer.Add(Floats("positive_infinity", [float.PositiveInfinity]));
        nodes.Shared(Floats("negative_infinity", [float.NegativeInfinity]));
        var draw = nodes.AddMany("Split", [ModelContract.TimeDraw], 3, Int("axis", 1));
        var (u, temperature, topP) = (draw[0], draw[1], draw[2]);
        var biased = nodes.Add("Add", [logits, ModelContract.TimeBias]);
        var open = nodes.Add("Where", [nodes.Add("Equal", ["time_classes", ModelContract.ClosedTime]), "negative_infinity", biased]);
        var likeliest = nodes.Add("ArgMax", [open], Int("axis", 1));
        var max = nodes.Add("ReduceMax", [open], IntList("axes", 1), Int("keepdims", 1));
        var w = nodes.Add("Exp", [nodes.Add("Div", [nodes.Add("Sub", [open, max]), temperature])]);
        // The nucleus is cut only when a song asks for one: at p = 1 for every song (the default), no sort.
        var whole = new GraphProto { Name = "whole_distribution" };
        new NodeBuilder(whole, "whole_").Add("Identity", [w], "whole_kept");
        whole.Output.Add(Value("whole_kept", ModelContract.Batch, times));
        var cut = new GraphProto { Name = "nucleus" };
        var inCut = new NodeBuilder(cut, "nucleus_");
        var sorted = inCut.AddMany("TopK", [w, "time_count"], 2, Int("axis", 1))[0];
        var before = inCut.Add("CumSum", [sorted, "class_axis"], Int("exclusive", 1));
        var share = inCut.Add("Mul", [topP, inCut.Add("ReduceSum", [w, "axis_1"], Int("keepdims", 1))]);
        var likeliestKept = inCut.Add("Where", [inCut.Add("Less", [before, share]), sorted, "positive_infinity"]);
        var threshold = inCut.Add("ReduceMin", [likeliestKept], IntList("axes", 1), Int("keepdims", 1));
        var inNucleus = inCut.Add("Or", [inCut.Add("GreaterOrEqual", [w, threshold]), inCut.Add("GreaterOrEqual", [topP, "one"])]);
        inCut.Add("Where", [inNucleus, w, "zero"], "nucleus_kept");
        cut.Output.Add(Value("nucleus_kept", ModelContract.Batch, times));
        var everySongWhole = nodes.Add("GreaterOrEqual", [nodes.Add("ReduceMin", [topP], Int("keepdims", 0)), "one"]);
        var kept = nodes.Add("If", [everySongWhole], Subgraph("then_branch", whole), Subgraph("else_branch", cut));
        var cumulative = nodes.Add("CumSum", [kept, "class_axis"]);
        var target = nodes.Add("Mul", [u, nodes.Add("ReduceSum", [kept, "axis_1"], Int("keepdims", 1))]);
        var passed = nodes.Add("Cast", [nodes.Add("LessOrEqual", [cumulative, target])], Int("to", (long)TensorProto.Types.DataType.Int64));
        var index = nodes.Add("ReduceSum", [passed, "axis_1"], Int("keepdims", 1));
        // At T = 0, or where rounding carries u's share past the last class, the likeliest.
        var likeliestOnly = nodes.Add("Or", [nodes.Add("LessOrEqual", [temperature, "zero"]), nodes.Add("GreaterOrEqual", [index, "time_count"])]);
        nodes.Add("Where", [likeliestOnly, likeliest, index], ModelContract.TimeDrawn);
        return nodes.Add("Squeeze", [ModelContract.TimeDrawn, "axis_1"]);
    }

    /// <summary>
    /// The LSTM layers of a step on input <paramref name="x"/>, reading h and c and writing h_out and c_out; returns
    /// the last layer's h. <paramref name="layerWeights"/> gives PyTorch's W_ih, W_hh, b_ih and b_hh of a layer.
    /// </summary>
    private static string Lstm(
        GraphProto graph,
        NodeBuilder nodes,
        string x,
        int layers,
        int hiddenSize,
        Func<int, (float[] Wih, float[] Whh, float[] Bih, float[] Bhh)> layerWeights
    )
    {
        graph.Initializer.Add(Ints("axis_0", [0], 1));
        var hidden = new List<string>();
        var cells = new List<string>();
        for (var layer = 0; layer < layers; layer++)
        {
            var (wih, whh, bih, bhh) = layerWeights(layer);
            var (h, c) = (nodes.Gather(ModelContract.Hidden, layer), nodes.Gather(ModelContract.Cell, layer));
            var stacked = $"lstm.{layer}.weight";
            var bias = $"lstm.{layer}.bias";
            graph.Initializer.Add(
                Floats(stacked, StackColumns(wih, whh, 4 * hiddenSize), 4 * hiddenSize, wih.Length / (4 * hiddenSize) + hiddenSize)
            );
            graph.Initializer.Add(Floats(bias, [.. bih.Zip(bhh, (a, b) => a + b)], 4 * hiddenSize));

            // gates = [x, h] · [W_ih | W_hh]ᵀ + b_ih + b_hh, split into input, forget, cell and output gates.
            var gates = nodes.Add("Gemm", [nodes.Add("Concat", [x, h], Int("axis", 1)), stacked, bias], Int("transB", 1));
            var split = nodes.AddMany("Split", [gates], 4, Int("axis", 1));
            var (i, f, g, o) = (
                nodes.Add("Sigmoid", [split[0]]),
                nodes.Add("Sigmoid", [split[1]]),
                nodes.Add("Tanh", [split[2]]),
                nodes.Add("Sigmoid", [split[3]])
            );
            var cNext = nodes.Add("Add", [nodes.Add("Mul", [f, c]), nodes.Add("Mul", [i, g])]);
            var hNext = nodes.Add("Mul", [o, nodes.Add("Tanh", [cNext])]);
            hidden.Add(nodes.Add("Unsqueeze", [hNext, "axis_0"]));
            cells.Add(nodes.Add("Unsqueeze", [cNext, "axis_0"]));
            x = hNext;
        }
        nodes.Add("Concat", hidden, ModelContract.HiddenOut, Int("axis", 0));
        nodes.Add("Concat", cells, ModelContract.CellOut, Int("axis", 0));
        return x;
    }

    private static byte[] Finish(GraphProto graph, ModelMetadata metadata)
    {
        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "crnngan-train",
            ProducerVersion = metadata.CodeVersion,
            DocString = "C-RNN-GAN generator (Mogren 2016): one step with explicit LSTM state. See the crnngan.* metadata.",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        foreach (var (key, value) in metadata.ToProperties())
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model.ToByteArray();
    }

    /// <summary>[rows × a] and [rows × b] side by side: [rows × (a + b)].</summary>
    private static float[] StackColumns(float[] left, float[] right, int rows)
    {
        int a = left.Length / rows,
            b = right.Length / rows;
        var stacked = new float[left.Length + right.Length];
        for (var r = 0; r < rows; r++)
        {
            left.AsSpan(r * a, a).CopyTo(stacked.AsSpan(r * (a + b)));
            right.AsSpan(r * b, b).CopyTo(stacked.AsSpan(r * (a + b) + a));
        }
        return stacked;
    }

    private static ValueInfoProto Value(string name, params object[] dimensions) => Value(name, TensorProto.Types.DataType.Float, dimensions);

    private static ValueInfoProto Value(string name, TensorProto.Types.DataType type, params object[] dimensions)
    {
        var shape = new TensorShapeProto();
        foreach (var dimension in dimensions)
        {
            shape.Dim.Add(
                dimension is string symbol
                    ? new TensorShapeProto.Types.Dimension { DimParam = symbol }
                    : new TensorShapeProto.Types.Dimension { DimValue = (int)dimension }
            );
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape },
            },
        };
    }

    private static TensorProto Floats(string name, float[] values, params long[] dimensions) =>
        Raw(name, TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes(values.AsSpan()), dimensions);

    private static TensorProto Ints(string name, long[] values, params long[] dimensions) =>
        Raw(name, TensorProto.Types.DataType.Int64, MemoryMarshal.AsBytes(values.AsSpan()), dimensions);

    /// <summary>One LSTM layer's weights and biases by PyTorch's names (weight_ih, …, bias_hh), as <paramref name="named"/> spells them.</summary>
    private static (float[] Wih, float[] Whh, float[] Bih, float[] Bhh) Gates(Dictionary<string, float[]> weights, Func<string, string> named) =>
        (weights[named("weight_ih")], weights[named("weight_hh")], weights[named("bias_ih")], weights[named("bias_hh")]);

    /// <summary>An initializer of raw little-endian bytes; the int8 quantizer writes its tensors with it too.</summary>
    internal static TensorProto Raw(string name, TensorProto.Types.DataType type, ReadOnlySpan<byte> bytes, long[] dimensions)
    {
        var tensor = new TensorProto
        {
            Name = name,
            DataType = (int)type,
            RawData = ByteString.CopyFrom(bytes),
        };
        tensor.Dims.AddRange(dimensions);
        return tensor;
    }

    private static AttributeProto Subgraph(string name, GraphProto graph) =>
        new()
        {
            Name = name,
            Type = AttributeProto.Types.AttributeType.Graph,
            G = graph,
        };

    private static AttributeProto IntList(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    private static AttributeProto Int(string name, long value) =>
        new()
        {
            Name = name,
            Type = AttributeProto.Types.AttributeType.Int,
            I = value,
        };

    /// <summary>
    /// Adds nodes with generated output names, so that the graph above reads like the equations; in a subgraph, after a
    /// <paramref name="prefix"/> of its own, so that no name repeats one of the graph around it.
    /// </summary>
    private sealed class NodeBuilder(GraphProto graph, string prefix = "")
    {
        private readonly Dictionary<(string, int, int), string> _gathered = [];
        private int _count;

        public string Add(string op, IEnumerable<string> inputs, params AttributeProto[] attributes) =>
            Add(op, inputs, $"{prefix}{op.ToLowerInvariant()}_{_count}", attributes);

        public string Add(string op, IEnumerable<string> inputs, string output, params AttributeProto[] attributes) =>
            AddMany(op, inputs, [output], attributes)[0];

        public string[] AddMany(string op, IEnumerable<string> inputs, int outputs, params AttributeProto[] attributes) =>
            AddMany(op, inputs, [.. Enumerable.Range(0, outputs).Select(i => $"{prefix}{op.ToLowerInvariant()}_{_count}_{i}")], attributes);

        /// <summary>
        /// Entry <paramref name="index"/> of an input along <paramref name="axis"/>, that axis dropped (a layer's [batch, hidden] state, a head's
        /// column); gathered once however many parts of the graph read it.
        /// </summary>
        public string Gather(string input, int index, int axis = 0)
        {
            if (_gathered.TryGetValue((input, index, axis), out var gathered))
                return gathered;
            var name = Shared(Ints($"index_{index}", [index]));
            return _gathered[(input, index, axis)] = Add("Gather", [input, name], Int("axis", axis));
        }

        /// <summary>A constant several parts of the graph read, added once: its name.</summary>
        public string Shared(TensorProto constant)
        {
            if (graph.Initializer.All(t => t.Name != constant.Name))
                graph.Initializer.Add(constant);
            return constant.Name;
        }

        public string[] AddMany(string op, IEnumerable<string> inputs, string[] outputs, params AttributeProto[] attributes)
        {
            var node = new NodeProto { OpType = op, Name = $"{prefix}{op}_{_count++}" };
            node.Input.AddRange(inputs);
            node.Output.AddRange(outputs);
            node.Attribute.AddRange(attributes);
            graph.Node.Add(node);
            return outputs;
        }
    }
}
