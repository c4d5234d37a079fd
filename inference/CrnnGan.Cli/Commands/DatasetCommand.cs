using System.CommandLine;
using System.Text.Json;
using CrnnGan.Cli.Datasets;
using CrnnGan.Terminal;
using Spectre.Console;

namespace CrnnGan.Cli.Commands;

/// <summary>`crnngan dataset submit | status | download`: datasets made by the Functions app on Azure's queue.</summary>
public static class DatasetCommand
{
    private static readonly JsonSerializerOptions Indented = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var endpoint = new Option<Uri>("--endpoint")
        {
            Description = "The app's address, e.g. https://myapp.azurewebsites.net (default: $CRNNGAN_ENDPOINT).",
            DefaultValueFactory = _ => new Uri(Environment.GetEnvironmentVariable("CRNNGAN_ENDPOINT") ?? "http://127.0.0.1:7071"),
        };
        var functionKey = new Option<string?>("--function-key")
        {
            Description = "The function key (default: $CRNNGAN_FUNCTION_KEY; the local server needs none).",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("CRNNGAN_FUNCTION_KEY"),
        };
        var job = new Argument<string>("job") { Description = "The job id that submit printed." };
        var command = new Command("dataset", "Datasets made in the cloud: submit a job, follow it, download its songs.")
        {
            Submit(endpoint, functionKey),
            Status(endpoint, functionKey, job),
            Download(endpoint, functionKey, job),
        };
        return command;
    }

    private static Command Submit(Option<Uri> endpoint, Option<string?> functionKey)
    {
        var count = new Option<int>("--count") { Description = "Songs in the dataset.", Required = true };
        var name = new Option<string?>("--name") { Description = "A name to know the job by." };
        var seed = new Option<ulong?>("--seed") { Description = "Seed of song 0; song i has seed + i (default: drawn by the app)." };
        var steps = new Option<int?>("--steps") { Description = "Steps (tones) per song (default: the app's)." };
        var tempo = new Option<double?>("--tempo") { Description = "Beats per minute (default: the model's)." };
        var program = new Option<int?>("--program") { Description = "General MIDI program, 0..127." };
        var noiseScale = new Option<float?>("--noise-scale") { Description = "Spread of the noise: 1 as trained." };
        var temperature = new Option<float?>("--temperature") { Description = "Tone models: temperature of pitch and time." };
        var key = new Option<string?>("--key") { Description = "Tone models: the key of every song, e.g. C, F#m (default: each song's own)." };
        var format = new Option<string?>("--format") { Description = "midi (default) or json." };
        var command = new Command("submit", "Submit a dataset job; prints its id.")
        {
            endpoint,
            functionKey,
            count,
            name,
            seed,
            steps,
            tempo,
            program,
            noiseScale,
            temperature,
            key,
            format,
        };
        command.SetAction(
            async (parse, cancellation) =>
            {
                var fields = new Dictionary<string, object> { ["count"] = parse.GetValue(count) };
                void Add(string field, object? value)
                {
                    if (value is not null)
                        fields[field] = value;
                }
                Add("name", parse.GetValue(name));
                Add("seed", parse.GetValue(seed));
                Add("steps", parse.GetValue(steps));
                Add("tempo", parse.GetValue(tempo));
                Add("program", parse.GetValue(program));
                Add("noiseScale", parse.GetValue(noiseScale));
                Add("temperature", parse.GetValue(temperature));
                Add("key", parse.GetValue(key));
                Add("format", parse.GetValue(format));
                using var http = DatasetClient.Http(parse.GetValue(endpoint)!, parse.GetValue(functionKey));
                var id = await new DatasetClient(http).SubmitAsync(fields, cancellation);
                Console.WriteLine(id);
                ProgressDisplay.Stderr.MarkupLineInterpolated($"Submitted job [bold]{id}[/]: crnngan dataset status {id}");
                return 0;
            }
        );
        return command;
    }

    private static Command Status(Option<Uri> endpoint, Option<string?> functionKey, Argument<string> job)
    {
        var json = new Option<bool>("--json") { Description = "Print the status as the endpoint's JSON." };
        var command = new Command("status", "A job's progress, failed batches and, when complete, where its songs are.")
        {
            endpoint,
            functionKey,
            job,
            json,
        };
        command.SetAction(
            async (parse, cancellation) =>
            {
                using var http = DatasetClient.Http(parse.GetValue(endpoint)!, parse.GetValue(functionKey));
                var status = await new DatasetClient(http).StatusAsync(parse.GetValue(job)!, cancellation);
                if (parse.GetValue(json))
                {
                    Console.WriteLine(JsonSerializer.Serialize(status, Indented));
                    return 0;
                }
                var table = new Table().Title($"Dataset {status.Id}{(status.Name is null ? "" : $" ({status.Name})")}").AddColumns("", "");
                table.AddRow("state", status.State);
                table.AddRow("songs written", $"{status.SongsWritten} of {status.Count}");
                table.AddRow("batches", $"{status.Batches.Done} done, {status.Batches.Failed} failed, of {status.Batches.Total}");
                table.AddRow("created", $"{status.CreatedUtc:u}");
                table.AddRow("last batch done", status.UpdatedUtc is { } updated ? $"{updated:u}" : "-");
                table.AddRow("completed", status.CompletedUtc is { } done ? $"{done:u}" : "-");
                foreach (var failure in status.Failed)
                    table.AddRow($"batch {failure.Batch}", Markup.Escape(failure.Reason));
                AnsiConsole.Write(table);
                return status.State == "failed" ? 2 : 0;
            }
        );
        return command;
    }

    private static Command Download(Option<Uri> endpoint, Option<string?> functionKey, Argument<string> job)
    {
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "Folder for the songs and manifest.jsonl.", Required = true };
        var command = new Command("download", "Download a complete job's songs and manifest; run again to resume.")
        {
            endpoint,
            functionKey,
            job,
            output,
        };
        command.SetAction(
            async (parse, cancellation) =>
            {
                using var http = DatasetClient.Http(parse.GetValue(endpoint)!, parse.GetValue(functionKey));
                var folder = parse.GetValue(output)!.FullName;
                var fetched = 0;
                await ProgressDisplay.RunAsync(
                    $"Downloading {parse.GetValue(job)}",
                    "songs",
                    async task =>
                        fetched = await new DatasetClient(http).DownloadAsync(
                            parse.GetValue(job)!,
                            folder,
                            ProgressDisplay.Counts(task),
                            cancellation
                        )
                );
                AnsiConsole.MarkupLineInterpolated(
                    $"{fetched} songs fetched into [bold]{folder}[/] (the others were there); manifest.jsonl checked."
                );
                return 0;
            }
        );
        return command;
    }
}
