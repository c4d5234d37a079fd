using System.CommandLine;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using CrnnGan.Functions.Datasets;
using CrnnGan.Functions.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;

/// <summary>
/// `datasets`: one job per worker count, submitted over HTTP and drained from the storage queue by 1, 2 and 4 workers
/// in this process, as instances would: songs per second, and CPU seconds per 1,000 songs, side by side.
/// </summary>
internal static class DatasetBenchmark
{
    private static readonly int[] WorkerCounts = [1, 2, 4];

    public static Command Create(Option<FileInfo> model, Option<int> steps)
    {
        var storage = new Option<string>("--storage")
        {
            Description = "Storage connection string (default: Azurite on its usual ports).",
            DefaultValueFactory = _ => "UseDevelopmentStorage=true",
        };
        var songs = new Option<int>("--songs") { Description = "Songs per job.", DefaultValueFactory = _ => 1024 };
        var command = new Command("datasets", "Dataset jobs drained by 1, 2 and 4 workers against Blob and Queue Storage (e.g. Azurite).")
        {
            model,
            steps,
            storage,
            songs,
        };
        command.SetAction(
            async (parse, cancellation) =>
            {
                var settings = new Dictionary<string, string?>
                {
                    ["Generation:ModelPath"] = parse.GetValue(model)!.FullName,
                    ["AzureWebJobsStorage"] = parse.GetValue(storage),
                    ["Datasets:Container"] = $"benchmark-{Guid.NewGuid():N}",
                };
                await using var app = await LocalServer.StartAsync(settings);
                var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
                using var client = new HttpClient { BaseAddress = new Uri(address) };
                var drainer = new QueueDrainer(
                    app.Services.GetRequiredService<DatasetStorage>(),
                    app.Services.GetRequiredService<DatasetWorker>(),
                    NullLogger<QueueDrainer>.Instance
                );

                var table = new Table()
                    .Title($"{parse.GetValue(songs)} songs of {parse.GetValue(steps)} steps per job, {Environment.ProcessorCount} cores")
                    .AddColumns("workers", "songs/s", "CPU s per 1,000 songs", "× 1 worker");
                double? single = null;
                foreach (var workers in WorkerCounts)
                {
                    var body = new
                    {
                        count = parse.GetValue(songs),
                        steps = parse.GetValue(steps),
                        seed = 1_000_000 * workers,
                    };
                    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                    var clock = Stopwatch.StartNew();
                    using var response = await client.PostAsJsonAsync("/api/datasets", body, cancellation);
                    response.EnsureSuccessStatusCode();
                    var job = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellation)).RootElement.GetProperty("id").GetString();
                    await drainer.DrainAsync(workers, cancellation);
                    var status = JsonDocument.Parse(await client.GetStringAsync($"/api/datasets/{job}", cancellation)).RootElement;
                    var seconds = clock.Elapsed.TotalSeconds;
                    var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
                    if (status.GetProperty("state").GetString() != "complete")
                        throw new InvalidOperationException($"Job {job} did not complete: {status}");
                    var rate = parse.GetValue(songs) / seconds;
                    single ??= rate;
                    table.AddRow($"{workers}", $"{rate:0.0}", $"{1000 * cpuSeconds / parse.GetValue(songs):0.00}", $"{rate / single:0.00}");
                }
                AnsiConsole.Write(table);
                return 0;
            }
        );
        return command;
    }
}
