using System.CommandLine;
using Spectre.Console;

namespace CrnnGan.Training.Commands;

/// <summary>`crnngan-train export`: a checkpoint's generator as a self-describing ONNX step model, verified against TorchSharp.</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<FileInfo>("--checkpoint") { Description = "A training checkpoint (checkpoint.zip).", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "Where to write the model, e.g. model.onnx.", Required = true };
        var temperature = new Option<float>("--temperature")
        {
            Description = "Tone models: the sampling temperature generation uses when a request names none (default 1, as trained).",
            DefaultValueFactory = _ => 1f,
        };
        var lengthTemperature = new Option<float>("--length-temperature")
        {
            Description = "Tone models: the temperature of the length head (default 1, as trained).",
            DefaultValueFactory = _ => 1f,
        };
        var quantize = new Option<string>("--quantize")
        {
            Description = "Tone models: int8 writes the model with int8 weights, checked against the fp32 export (none: fp32).",
            DefaultValueFactory = _ => "none",
        }.AcceptOnlyFromAmong("none", "int8");
        var command = new Command(
            "export",
            "Export the generator to ONNX (one step with explicit state), check parity with TorchSharp, then put it in place."
        )
        {
            checkpoint,
            output,
            temperature,
            lengthTemperature,
            quantize,
        };
        command.SetAction(parse =>
        {
            var (metadata, parity, quantized) = ModelExport.Run(
                parse.GetValue(checkpoint)!.FullName,
                parse.GetValue(output)!.FullName,
                parse.GetValue(temperature),
                parse.GetValue(lengthTemperature),
                quantize: parse.GetValue(quantize) == "int8"
            );
            foreach (var report in parity.Select(p => p.ToString()).Append(quantized?.ToString()).OfType<string>())
                AnsiConsole.MarkupLine($"[green]parity[/] {Markup.Escape(report)}");
            AnsiConsole.MarkupLine(
                $"Wrote [bold]{Markup.Escape(parse.GetValue(output)!.FullName)}[/]: {metadata.Encoding.Description}, hidden "
                    + $"{metadata.HiddenSize} × {metadata.Layers}, {metadata.Epochs} epochs."
            );
            return 0;
        });
        return command;
    }
}
