using System.CommandLine;
using CrnnGan.Inference.Storage;
using Spectre.Console;

namespace CrnnGan.Training.Commands;

/// <summary>`crnngan-train quantize`: an exported generator with int8 weights, as `export --quantize int8` writes it.</summary>
public static class QuantizeCommand
{
    public static Command Create()
    {
        var model = new Option<FileInfo>("--model")
        {
            Description = "An exported generator (.onnx) with fp32 weights.",
            Required = true,
        }.AcceptExistingOnly();
        var output = new Option<FileInfo>("--out") { Description = "Where to write the int8 model, e.g. model-int8.onnx.", Required = true };
        var command = new Command("quantize", "Quantize an exported generator's weights to int8 (per output channel) for faster single songs.")
        {
            model,
            output,
        };
        command.SetAction(parse =>
        {
            var (input, target) = (parse.GetValue(model)!, parse.GetValue(output)!);
            var (quantized, parity) = Int8Quantizer.QuantizeChecked(File.ReadAllBytes(input.FullName), seed: 0);
            AtomicFile.WriteAllBytes(target.FullName, quantized);
            AnsiConsole.MarkupLine($"[green]parity[/] {Markup.Escape(parity.ToString())}");
            AnsiConsole.MarkupLine(
                $"Wrote [bold]{Markup.Escape(target.FullName)}[/]: {quantized.Length / 1e6:0.0} MB (fp32: {input.Length / 1e6:0.0} MB)."
            );
            return 0;
        });
        return command;
    }
}
