using System.CommandLine;
using CrnnGan.Inference.Storage;
using CrnnGan.Training.Export;
using Spectre.Console;

namespace CrnnGan.Training.Commands;

/// <summary>`crnngan-train sampling`: an exported tone model with other sampling defaults, its weights untouched.</summary>
public static class SamplingCommand
{
    public static Command Create()
    {
        var model = new Option<FileInfo>("--model") { Description = "An exported tone model (.onnx).", Required = true }.AcceptExistingOnly();
        var output = new Option<FileInfo>("--out") { Description = "Where to write it (may be --model itself).", Required = true };
        var temperature = new Option<float?>("--temperature") { Description = "Temperature of pitch and time (default: the model's)." };
        var lengthTemperature = new Option<float?>("--length-temperature")
        {
            Description = "Temperature of the length head (default: the model's; 1 as trained).",
        };
        var command = new Command("sampling", "Set an exported tone model's default sampling temperatures; its graph and weights stay as they are.")
        {
            model,
            output,
            temperature,
            lengthTemperature,
        };
        command.SetAction(parse =>
        {
            var target = parse.GetValue(output)!.FullName;
            var (bytes, metadata) = SamplingDefaults.Apply(
                File.ReadAllBytes(parse.GetValue(model)!.FullName),
                parse.GetValue(temperature),
                parse.GetValue(lengthTemperature)
            );
            AtomicFile.WriteAllBytes(target, bytes);
            AnsiConsole.MarkupLine(
                $"Wrote [bold]{Markup.Escape(target)}[/]: temperature {metadata.DefaultTemperature}, length temperature {metadata.LengthTemperature}."
            );
            return 0;
        });
        return command;
    }
}
