using System.CommandLine;
using System.Globalization;
using CrnnGan.Inference.Data;
using CrnnGan.Inference.Storage;
using CrnnGan.Terminal;
using Spectre.Console;

namespace CrnnGan.Training.Commands;

/// <summary>
/// `crnngan-train sampling`: an exported tone model with other sampling defaults, its weights untouched; with
/// --calibrate-lengths and --calibrate-times, a length or time bias fitted to a corpus's training songs (<see cref="BiasCalibration"/>).
/// The time first, when both: the lengths read the time drawn.
/// </summary>
public static class SamplingCommand
{
    public static Command Create()
    {
        var model = new Option<FileInfo>("--model") { Description = "An exported tone model (.onnx).", Required = true }.AcceptExistingOnly();
        var output = new Option<FileInfo>("--out") { Description = "Where to write it (may be --model itself).", Required = true };
        var temperature = new Option<float?>("--temperature") { Description = "Temperature of pitch and time (default: the model's)." };
        var topP = new Option<float?>("--top-p")
        {
            Description = "Nucleus of pitch and time: draw from the likeliest classes whose probabilities reach it (default: the model's).",
        };
        var lengthTemperature = new Option<float?>("--length-temperature")
        {
            Description = "Temperature of the length head (default: the model's; 1 as trained).",
        };
        var timeTemperature = new Option<float?>("--time-temperature")
        {
            Description = "The time's own temperature, in place of the request's, which then shapes the pitch alone (default: the model's; none).",
        };
        var ascending = new Option<bool?>("--ascending-chords")
        {
            Description =
                "true: draw a tone at the onset of the tone before from the pitches above it, the order the encoding writes a "
                + "chord's keys in; false: draw the pitch as trained (default: the model's).",
        };
        var calibrate = new Option<DirectoryInfo>("--calibrate-lengths")
        {
            Description = "Fit a length bias so that the model's songs hold each length as often as this corpus's training songs do.",
        }.AcceptExistingOnly();
        var calibrateChords = new Option<DirectoryInfo>("--calibrate-chords")
        {
            Description =
                "Contract version 8: fit the time 0's bias alone, so that the model's songs join a chord's next key as "
                + "often as this corpus's training songs do; the other times as the model draws them.",
        }.AcceptExistingOnly();
        var calibrateTimes = new Option<DirectoryInfo>("--calibrate-times")
        {
            Description =
                "Contract version 8: fit a time bias so that the model's songs hold each time between onsets (0: a chord's "
                + "next key) as often as this corpus's training songs do; before the lengths, when both are asked for.",
        }.AcceptExistingOnly();
        var command = new Command(
            "sampling",
            "Set an exported tone model's default sampling temperatures and length bias; its graph and weights stay as they are."
        )
        {
            model,
            output,
            temperature,
            topP,
            lengthTemperature,
            timeTemperature,
            ascending,
            calibrate,
            calibrateTimes,
            calibrateChords,
        };
        command.SetAction(parse =>
        {
            var target = parse.GetValue(output)!.FullName;
            var (bytes, metadata) = SamplingDefaults.Apply(
                File.ReadAllBytes(parse.GetValue(model)!.FullName),
                parse.GetValue(temperature),
                parse.GetValue(lengthTemperature),
                topP: parse.GetValue(topP),
                timeTemperature: parse.GetValue(timeTemperature),
                ascendingChords: parse.GetValue(ascending)
            );
            // A corpus named by two calibrations is read once.
            var corpora = new Dictionary<string, Corpus>();
            if (parse.GetValue(calibrateChords) is not null && parse.GetValue(calibrateTimes) is not null)
                throw new ArgumentException("--calibrate-chords fits the time 0 alone and --calibrate-times every time: ask for one.");
            foreach (
                var (option, head, name, chords) in new[]
                {
                    (calibrateTimes, ToneVocabulary.TimeHead, "Times", false),
                    (calibrateChords, ToneVocabulary.TimeHead, "Times", true),
                    (calibrate, ToneVocabulary.LengthHead, "Lengths", false),
                }
            )
            {
                if (parse.GetValue(option) is not { } corpus)
                    continue;
                if (!corpora.TryGetValue(corpus.FullName, out var songs))
                {
                    var seed = metadata.Seed;
                    songs = corpora[corpus.FullName] = ProgressDisplay.Run(
                        "Reading MIDI",
                        "files",
                        task => CorpusLoader.Load(corpus.FullName, CorpusSplit.Default(corpus.FullName, seed), progress: ProgressDisplay.Counts(task))
                    );
                }
                var fit = ProgressDisplay.Run(
                    $"Calibrating {name.ToLowerInvariant()}",
                    "rounds",
                    task =>
                        BiasCalibration.Fit(
                            bytes,
                            songs.Training.Select(s => s.Tones),
                            head,
                            ProgressDisplay.Counts(task),
                            chords ? metadata.EncodingAs<ToneEncoding>("Calibration is for the tone family").Vocabulary.ZeroTime : null
                        )
                );
                (bytes, metadata) = fit.Apply(bytes);
                var rounds = string.Join(" → ", fit.Distances.Select(d => d.ToString("0.000", CultureInfo.InvariantCulture)));
                AnsiConsole.MarkupLine($"{name} of the model's songs against the training songs' (total variation), round by round: {rounds}.");
            }
            AtomicFile.WriteAllBytes(target, bytes);
            var tones = metadata.EncodingAs<ToneEncoding>("Sampling defaults are for the tone family");
            AnsiConsole.MarkupLine(
                $"Wrote [bold]{Markup.Escape(target)}[/]: temperature {tones.DefaultTemperature}, top-p {tones.DefaultTopP}, "
                    + (tones.TimeTemperature is { } time ? $"time temperature {time}, " : "")
                    + $"length temperature {tones.LengthTemperature}"
                    + (tones.LengthBias is null ? "" : ", a length bias")
                    + (tones.TimeBias is null ? "" : ", a time bias")
                    + (tones.AscendingChords ? ", ascending chords." : ".")
            );
            return 0;
        });
        return command;
    }
}
