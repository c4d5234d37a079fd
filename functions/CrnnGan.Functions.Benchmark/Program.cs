using System.CommandLine;
using System.Diagnostics;
using CrnnGan.Functions.Hosting;
using CrnnGan.Inference.Generation;
using CrnnGan.Terminal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

RedirectedTables.Widen();

var model = new Option<FileInfo>("--model") { Description = "The exported generator to serve.", Required = true }.AcceptExistingOnly();
var requests = new Option<int>("--requests") { Description = "Requests for each latency and throughput figure.", DefaultValueFactory = _ => 200 };
var concurrency = new Option<int>("--concurrency") { Description = "Clients at once for the throughput.", DefaultValueFactory = _ => 32 };
var steps = new Option<int>("--steps") { Description = "Steps per song.", DefaultValueFactory = _ => 256 };
var int8 = new Option<FileInfo>("--int8")
{
    Description = "The same model with int8 weights: single songs timed beside the model's.",
}.AcceptExistingOnly();
var app = new Option<FileInfo>("--app") { Description = "The app's published CrnnGan.Functions.dll: process starts timed too." }.AcceptExistingOnly();
var root = new RootCommand(
    "Benchmark the Functions app's code over real HTTP on 127.0.0.1, batched and unbatched, beside the library's own batch of 64."
)
{
    model,
    requests,
    concurrency,
    steps,
    int8,
    app,
};
root.Subcommands.Add(DatasetBenchmark.Create(model, steps));
root.Subcommands.Add(StartupBenchmark.Create(model));
root.Subcommands.Add(SoakTest.Create(model, steps));
root.Subcommands.Add(BareServer.Create(model));
root.SetAction(
    async (parse, cancellation) =>
    {
        var (total, clients, length) = (parse.GetValue(requests), parse.GetValue(concurrency), parse.GetValue(steps));
        var settings = new Dictionary<string, string?> { ["Generation:ModelPath"] = parse.GetValue(model)!.FullName };
        var path = $"/api/generate?steps={length}&seed=";

        // Start-up in this process: from building the host (model load and warm-up included) to the first song.
        var clock = Stopwatch.StartNew();
        var (batched, client) = await ServeAsync(settings);
        await batched.Services.GetRequiredService<ModelHost>().Loaded;
        var ready = clock.Elapsed;
        (await client.GetAsync(path + "0", cancellation)).EnsureSuccessStatusCode();
        var firstSong = clock.Elapsed;

        // The library alone, in batches of 64, with the app's own session: what serving could reach.
        var generator = new SongGenerator(batched.Services.GetRequiredService<ModelHost>().Session!);
        double LibraryRate(int batch)
        {
            var library = Stopwatch.StartNew();
            return generator
                    .Generate(
                        new GenerationRequest
                        {
                            Count = 4 * 64,
                            Steps = length,
                            BatchSize = batch,
                        }
                    )
                    .Count / library.Elapsed.TotalSeconds;
        }
        var (libraryRate, library32) = (LibraryRate(64), LibraryRate(clients));

        var scheduler = batched.Services.GetRequiredService<ModelHost>().Scheduler!;
        var (unbatched, unbatchedClient) = await ServeAsync(new(settings) { ["Generation:BatchWindowMilliseconds"] = "0" });
        await using var batchedApp = batched;
        await using var unbatchedApp = unbatched;
        using var batchedClient = client;
        using var unbatchedHttp = unbatchedClient;

        // Both apps warm alike, then one client's requests alternate between them, so that neither gains from
        // the other's warming (tiered compilation, caches); then each serves the clients at once, one after the other.
        for (var i = 0; i < 20; i++)
        {
            (await client.GetAsync(path + i, cancellation)).EnsureSuccessStatusCode();
            (await unbatchedClient.GetAsync(path + i, cancellation)).EnsureSuccessStatusCode();
        }
        var (latencies, unbatchedLatencies) = (new List<double>(), new List<double>());
        for (var i = 0; i < total; i++)
        {
            latencies.Add(await LatencyAsync(client, i));
            unbatchedLatencies.Add(await LatencyAsync(unbatchedClient, i));
        }
        var (steps0, rows0) = (scheduler.Steps, scheduler.RowSteps);
        var throughput = await ThroughputAsync(client);
        var meanBatch = (double)(scheduler.RowSteps - rows0) / (scheduler.Steps - steps0);
        var unbatchedThroughput = await ThroughputAsync(unbatchedClient);
        var (p50, unbatchedP50) = (Percentile(latencies, 0.5), Percentile(unbatchedLatencies, 0.5));

        // int8 weights against the model's own, one song at a time, alternating, after both are warm.
        (double Fp32, double Int8)? single = null;
        if (parse.GetValue(int8) is { } quantized)
        {
            using var fp32Session = GeneratorSession.Open(parse.GetValue(model)!.FullName, new GeneratorSessionOptions(ExecutionProvider.Cpu));
            using var int8Session = GeneratorSession.Open(quantized.FullName, new GeneratorSessionOptions(ExecutionProvider.Cpu));
            var (fp32Times, int8Times) = (new List<double>(), new List<double>());
            for (var i = -5; i < total / 2; i++)
            {
                foreach (var (session, times) in new[] { (fp32Session, fp32Times), (int8Session, int8Times) })
                {
                    var song = Stopwatch.StartNew();
                    new SongGenerator(session).Generate(
                        new GenerationRequest
                        {
                            Steps = length,
                            Seed = (ulong)(i + 5),
                            BatchSize = 1,
                        }
                    );
                    if (i >= 0)
                        times.Add(song.Elapsed.TotalMilliseconds);
                }
            }
            single = (Percentile(fp32Times, 0.5), Percentile(int8Times, 0.5));
        }
        (double App, double Bare)? starts = parse.GetValue(app) is { } published
            ? await StartupBenchmark.MediansAsync(published, parse.GetValue(model)!, 5, cancellation)
            : null;

        var table = new Table()
            .Title($"Functions app over HTTP, one {length}-step song per request, {Environment.ProcessorCount} cores, {total} requests a figure")
            .AddColumns("measure", "batched (default)", "unbatched (window 0)", "ratio");
        table.AddRow("library alone, batches of 64", $"{libraryRate:0.0} songs/s", "", "");
        table.AddRow($"library alone, batches of {clients}", $"{library32:0.0} songs/s", "", $"{library32 / libraryRate:0.00}× batches of 64");
        table.AddRow(
            $"throughput, {clients} clients",
            $"{throughput:0.0} songs/s",
            $"{unbatchedThroughput:0.0} songs/s",
            $"batched {throughput / libraryRate:0.00}× the library's"
        );
        table.AddRow("latency p50, 1 client", $"{p50:0.0} ms", $"{unbatchedP50:0.0} ms", $"batched {p50 / unbatchedP50:0.00}× unbatched");
        table.AddRow("latency p99, 1 client", $"{Percentile(latencies, 0.99):0.0} ms", $"{Percentile(unbatchedLatencies, 0.99):0.0} ms", "");
        table.AddRow($"mean batch, {clients} clients", $"{meanBatch:0.0} songs", "1 request", "");
        if (single is { } p)
            table.AddRow(
                "library, one song at a time (batch 1), p50",
                $"fp32 {p.Fp32:0.0} ms",
                $"int8 {p.Int8:0.0} ms",
                $"int8 {p.Int8 / p.Fp32:0.00}× fp32"
            );
        if (starts is { } median)
            table.AddRow(
                "new process: start to first answer, median of 5",
                $"first song {median.App:0} ms",
                $"bare web program {median.Bare:0} ms",
                $"{median.App / median.Bare:0.00}× the bare program's"
            );
        table.AddRow("in process: host built, model loaded and warmed up", $"{ready.TotalMilliseconds:0} ms", "", "");
        table.AddRow("in process: first song served", $"{firstSong.TotalMilliseconds:0} ms", "", "");
        AnsiConsole.Write(table);
        return 0;

        async Task<double> LatencyAsync(HttpClient http, int seed)
        {
            var request = Stopwatch.StartNew();
            (await http.GetAsync(path + seed, cancellation)).EnsureSuccessStatusCode();
            return request.Elapsed.TotalMilliseconds;
        }

        async Task<double> ThroughputAsync(HttpClient http)
        {
            var next = -1;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(
                Enumerable
                    .Range(0, clients)
                    .Select(async _ =>
                    {
                        while (Interlocked.Increment(ref next) < total)
                            (await http.GetAsync(path + next, cancellation)).EnsureSuccessStatusCode();
                    })
            );
            return total / clock.Elapsed.TotalSeconds;
        }
    }
);
return await root.Parse(args).InvokeAsync();

static double Percentile(List<double> values, double q) => values.Order().ElementAt((int)Math.Round(q * (values.Count - 1)));

static async Task<(WebApplication App, HttpClient Client)> ServeAsync(Dictionary<string, string?> settings)
{
    var app = await LocalServer.StartAsync(settings);
    var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    return (app, new HttpClient { BaseAddress = new Uri(address) });
}
