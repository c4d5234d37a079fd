using System.CommandLine;
using System.Diagnostics;
using CrnnGan.Functions.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

var model = new Option<FileInfo>("--model") { Description = "The exported generator to serve.", Required = true }.AcceptExistingOnly();
var requests = new Option<int>("--requests") { Description = "Sequential requests for the latency percentiles.", DefaultValueFactory = _ => 100 };
var concurrency = new Option<int>("--concurrency") { Description = "Clients at once for the throughput.", DefaultValueFactory = _ => 8 };
var steps = new Option<int>("--steps") { Description = "Steps per song.", DefaultValueFactory = _ => 256 };
var root = new RootCommand("Benchmark the Functions app's code over real HTTP on 127.0.0.1: start-up, latency, throughput.")
{
    model,
    requests,
    concurrency,
    steps,
};
root.Subcommands.Add(DatasetBenchmark.Create(model, steps));
root.SetAction(
    async (parse, cancellation) =>
    {
        var settings = new Dictionary<string, string?>
        {
            ["Generation:ModelPath"] = parse.GetValue(model)!.FullName,
            ["Generation:ExecutionProvider"] = "Auto",
        };
        var path = $"/api/generate?steps={parse.GetValue(steps)}&seed=";

        // Start-up: from building the host (model load and warm-up included) to the first generated song.
        var clock = Stopwatch.StartNew();
        await using var app = await LocalServer.StartAsync(settings);
        var ready = clock.Elapsed;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var client = new HttpClient { BaseAddress = new Uri(address) };
        (await client.GetAsync(path + "0", cancellation)).EnsureSuccessStatusCode();
        var firstSong = clock.Elapsed;

        var latencies = new List<double>();
        for (var i = 0; i < parse.GetValue(requests); i++)
        {
            var request = Stopwatch.StartNew();
            (await client.GetAsync(path + i, cancellation)).EnsureSuccessStatusCode();
            latencies.Add(request.Elapsed.TotalMilliseconds);
        }
        latencies.Sort();

        var total = parse.GetValue(requests);
        var next = -1;
        var throughputClock = Stopwatch.StartNew();
        await Task.WhenAll(
            Enumerable
                .Range(0, parse.GetValue(concurrency))
                .Select(async _ =>
                {
                    while (Interlocked.Increment(ref next) < total)
                        (await client.GetAsync(path + next, cancellation)).EnsureSuccessStatusCode();
                })
        );
        var throughput = total / throughputClock.Elapsed.TotalSeconds;

        var table = new Table()
            .Title($"Functions app over HTTP, one {parse.GetValue(steps)}-step song per request, {Environment.ProcessorCount} cores")
            .AddColumns("measure", "value");
        table.AddRow("host built, model loaded and warmed up", $"{ready.TotalMilliseconds:0} ms");
        table.AddRow("first song served", $"{firstSong.TotalMilliseconds:0} ms");
        table.AddRow($"latency p50 ({total} sequential requests)", $"{latencies[latencies.Count / 2]:0.0} ms");
        table.AddRow("latency p99", $"{latencies[(int)Math.Round(0.99 * (latencies.Count - 1))]:0.0} ms");
        table.AddRow($"throughput ({parse.GetValue(concurrency)} clients)", $"{throughput:0.0} songs/s");
        AnsiConsole.Write(table);
        return 0;
    }
);
return await root.Parse(args).InvokeAsync();
