using System.CommandLine;
using System.Globalization;
using CrnnGan.Inference.Data;
using CrnnGan.Inference.Storage;
using CrnnGan.Terminal;
using Spectre.Console;

namespace CrnnGan.Training.Commands;

/// <summary>
/// `crnngan-train sampling`: an exported tone model with other sampling defaults, its weights untouched; with
/// --calibrate-lengths, --calibrate-times and --calibrate-time-places, a length or time bias fitted to a corpus's training songs
/// (<see cref="BiasCalibration"/>, <see cref="TimePlaceCalibration"/>). The time first: the lengths read the time drawn.
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
        var calibratePlaces = new Option<DirectoryInfo>("--calibrate-time-places")
        {
            Description =
                "Contract version 8: fit a time bias by place, so that after a tone on each sixteenth of the quarter note, or off "
                + "that grid, the model's songs take each time to the next onset as often as this corpus's training songs do; "
                + "after --calibrate-times, before the lengths.",
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
            calibratePlaces,
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
            var zeroTime = metadata.EncodingAs<ToneEncoding>("Calibration is for the tone family").Vocabulary.ZeroTime;
            foreach (
                var (option, name, fitted) in new (Option<DirectoryInfo>, string, Calibrate)[]
                {
                    (calibrateTimes, "Times", (model, songs, rounds) => BiasCalibration.Fit(model, songs, ToneVocabulary.TimeHead, rounds)),
                    (
                        calibrateChords,
                        "Times",
                        (model, songs, rounds) => BiasCalibration.Fit(model, songs, ToneVocabulary.TimeHead, rounds, zeroTime)
                    ),
                    (calibratePlaces, "Times after each place", TimePlaceCalibration.Fit),
                    (calibrate, "Lengths", (model, songs, rounds) => BiasCalibration.Fit(model, songs, ToneVocabulary.LengthHead, rounds)),
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
                    task => fitted(bytes, songs.Training.Select(s => s.Tones), ProgressDisplay.Counts(task))
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
                    + (tones.TimeBiasByPlace is null ? "" : ", a time bias by place")
                    + (tones.AscendingChords ? ", ascending chords." : ".")
            );
            return 0;
        });
        return command;
    }

    private delegate ISamplingCalibration Calibrate(byte[] model, IEnumerable<IReadOnlyList<Tone>> songs, IProgress<(int Done, int Total)> rounds);
}
