using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using CrnnGan.Functions.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

/// <summary>
/// `soak`: the served API on 127.0.0.1 under clients that each send one request after another for a while. It passes when
/// no request fails, the process's memory at the end (after a full collection) is at most 10% above what it was after the
/// first window (the warm-up), and the last window's p99 latency is at most 1.5× the first window's.
/// </summary>
internal static class SoakTest
{
    private sealed record Sample(double At, double Milliseconds, bool Failed);

    public static Command Create(Option<FileInfo> model, Option<int> steps)
    {
        var clients = new Option<int>("--clients")
        {
            Description = "Clients, each sending one request after another.",
            DefaultValueFactory = _ => 32,
        };
        var seconds = new Option<int>("--seconds") { Description = "How long the clients send.", DefaultValueFactory = _ => 600 };
        var window = new Option<int>("--window")
        {
            Description = "Seconds of the first and last windows compared (the first is also the warm-up).",
            DefaultValueFactory = _ => 60,
        };
        var command = new Command("soak", "32 clients against the served API for 10 minutes: errors, memory growth, and p99 early and late.")
        {
            model,
            steps,
            clients,
            seconds,
            window,
        };
        command.SetAction(
            async (parse, cancellation) =>
                await RunAsync(
                    parse.GetValue(model)!.FullName,
                    parse.GetValue(steps),
                    parse.GetValue(clients),
                    parse.GetValue(seconds),
                    parse.GetValue(window),
                    cancellation
                )
        );
        return command;
    }

    private static async Task<int> RunAsync(string model, int steps, int clients, int seconds, int window, CancellationToken cancellation)
    {
        if (window * 2 > seconds || clients < 1)
            throw new ArgumentException($"--window ({window} s) must fit twice in --seconds ({seconds} s), and --clients must be 1 or more.");
        await using var app = await LocalServer.StartAsync(new Dictionary<string, string?> { ["Generation:ModelPath"] = model });
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(1) };
        await app.Services.GetRequiredService<ModelHost>().Loaded;

        // Only the first and last windows' latencies are kept, so that the test's own records do not grow with its length.
        var samples = new ConcurrentBag<Sample>();
        var requests = new int[clients];
        long warm = 0;
        var clock = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        stop.CancelAfter(TimeSpan.FromSeconds(seconds));
        bool Kept(double at) => at < window || at >= seconds - window;
        await AnsiConsole
            .Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var bar = progress.AddTask($"{clients} clients, {steps}-step songs", maxValue: seconds);
                var senders = Enumerable.Range(0, clients).Select(c => SendAsync(client, steps, c, clock, Kept, samples, requests, stop.Token));
                var watcher = Task.Run(
                    async () =>
                    {
                        while (!stop.IsCancellationRequested)
                        {
                            if (warm == 0 && clock.Elapsed.TotalSeconds >= window)
                                warm = RetainedBytes();
                            bar.Value = Math.Min(seconds, clock.Elapsed.TotalSeconds);
                            await Task.Delay(250, CancellationToken.None);
                        }
                    },
                    CancellationToken.None
                );
                await Task.WhenAll([.. senders, watcher]);
                bar.Value = seconds;
            });
        var end = RetainedBytes();

        var all = samples.ToList();
        double P99(double from, double to) => Percentile(all.Where(s => s.At >= from && s.At < to && !s.Failed).Select(s => s.Milliseconds), 0.99);
        var (early, late) = (P99(0, window), P99(seconds - window, seconds));
        var total = requests.Sum();
        var failed = all.Count(s => s.Failed);
        var growth = (double)end / warm - 1;
        var passed = failed == 0 && growth <= 0.10 && late <= 1.5 * early;

        var table = new Table()
            .Title($"Soak: {clients} clients × {seconds} s against 127.0.0.1, {steps}-step songs, {Environment.ProcessorCount} cores")
            .AddColumns("measure", "value", "bound");
        table.AddRow("requests", $"{total} ({total / (double)seconds:0.0}/s)", "");
        table.AddRow("failed", $"{failed}", "0");
        table.AddRow(
            $"memory after a full collection, after {window} s → end",
            $"{warm / 1048576.0:0} MB → {end / 1048576.0:0} MB ({growth:+0.0%;-0.0%})",
            "≤ +10%"
        );
        table.AddRow($"p99 latency, first {window} s → last {window} s", $"{early:0} ms → {late:0} ms (× {late / early:0.00})", "≤ × 1.5");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(passed ? "[green]The soak test passes.[/]" : "[red]The soak test fails.[/]");
        return passed ? 0 : 1;
    }

    private static async Task SendAsync(
        HttpClient client,
        int steps,
        int c,
        Stopwatch clock,
        Func<double, bool> kept,
        ConcurrentBag<Sample> samples,
        int[] requests,
        CancellationToken stop
    )
    {
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var start = clock.Elapsed.TotalSeconds;
            bool failed;
            try
            {
                using var response = await client.GetAsync($"/api/generate?steps={steps}&seed={c * 1_000_000 + n}", CancellationToken.None);
                await response.Content.ReadAsByteArrayAsync(CancellationToken.None);
                failed = !response.IsSuccessStatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                failed = true;
            }
            requests[c]++;
            if (failed || kept(start))
                samples.Add(new Sample(start, (clock.Elapsed.TotalSeconds - start) * 1000, failed));
        }
    }

    /// <summary>The process's working set after a full, compacting collection: what it holds, not what the collector has yet to free.</summary>
    private static long RetainedBytes()
    {
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    private static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[(int)Math.Round(p * (sorted.Count - 1))];
    }
}
