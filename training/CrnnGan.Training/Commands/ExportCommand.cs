using System.CommandLine;
using Spectre.Console;

namespace CrnnGan.Training.Commands;

/// <summary>`crnngan-train export`: a checkpoint's generator as a self-describing ONNX step model, verified against TorchSharp.</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<FileInfo>("--checkpoint") { Description = "A training checkpoint (checkpoint.zip)." };
        var model = new Option<FileInfo>("--model")
        {
            Description =
                "In place of --checkpoint: an exported fp32 tone model to write again (e.g. in contract version 8), its "
                + "sampling defaults kept; --settings names its model's settings.",
        }.AcceptExistingOnly();
        var settings = new Option<FileInfo>("--settings")
        {
            Description = "With --model: the training settings file of the run that made it (its model section).",
        }.AcceptExistingOnly();
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
        var hostDrawsTime = new Option<bool>("--host-draws-time")
        {
            Description =
                "Tone models whose pitch reads the time: write contract version 7, whose host draws the time from a row of "
                + "pitch and length logits per time class, for hosts that read versions up to 7 (default: version 8, whose step draws it).",
        };
        var command = new Command(
            "export",
            "Export the generator to ONNX (one step with explicit state), check parity with TorchSharp, then put it in place."
        )
        {
            checkpoint,
            model,
            settings,
            output,
            temperature,
            lengthTemperature,
            quantize,
            hostDrawsTime,
        };
        command.Validators.Add(result =>
        {
            if ((result.GetValue(checkpoint) is null) == (result.GetValue(model) is null))
                result.AddError("Name one of --checkpoint (a training checkpoint) and --model (an exported model to write again).");
            else if (result.GetValue(model) is not null && result.GetValue(settings) is null)
                result.AddError("--model needs --settings: the training settings of the run that made it.");
        });
        command.SetAction(parse =>
        {
            var (int8, timeInStep) = (parse.GetValue(quantize) == "int8", !parse.GetValue(hostDrawsTime));
            var (metadata, parity, quantized) = parse.GetValue(model) is { } exported
                ? ModelExport.FromModel(exported.FullName, parse.GetValue(settings)!.FullName, parse.GetValue(output)!.FullName, int8, timeInStep)
                : ModelExport.Run(
                    parse.GetValue(checkpoint)!.FullName,
                    parse.GetValue(output)!.FullName,
                    parse.GetValue(temperature),
                    parse.GetValue(lengthTemperature),
                    int8,
                    timeInStep
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
