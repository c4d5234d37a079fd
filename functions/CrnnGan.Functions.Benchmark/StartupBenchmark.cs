using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CrnnGan.Functions.Hosting;
using Spectre.Console;

/// <summary>
/// `startup`: the app as a new process (its --local mode, as from the published folder) from process start to the
/// first song served, several times; the median is what a request after a scale-out waits for, less the platform's part.
/// </summary>
internal static class StartupBenchmark
{
    public static Command Create(Option<FileInfo> model)
    {
        var app = new Option<FileInfo>("--app")
        {
            Description = "The app's CrnnGan.Functions.dll, built or published (e.g. publish/cpu/CrnnGan.Functions.dll).",
            Required = true,
        }.AcceptExistingOnly();
        var runs = new Option<int>("--runs") { Description = "Process starts.", DefaultValueFactory = _ => 5 };
        var command = new Command("startup", "Process start to the first song served, for the app run as its own process.") { model, app, runs };
        command.SetAction(
            async (parse, cancellation) =>
            {
                var sorted = await TimesAsync(parse.GetValue(app)!, parse.GetValue(model)!, parse.GetValue(runs), cancellation);
                var table = new Table()
                    .Title($"The app as a process, {Environment.ProcessorCount} cores: process start to the first 256-step song served")
                    .AddColumns("runs", "median", "min", "max");
                table.AddRow($"{sorted.Count}", $"{sorted[sorted.Count / 2]:0} ms", $"{sorted[0]:0} ms", $"{sorted[^1]:0} ms");
                AnsiConsole.Write(table);
                return 0;
            }
        );
        return command;
    }

    /// <summary>The median of <paramref name="runs"/> process starts, each to its first song served.</summary>
    public static async Task<double> MedianAsync(FileInfo app, FileInfo model, int runs, CancellationToken cancellation)
    {
        var times = await TimesAsync(app, model, runs, cancellation);
        return times[times.Count / 2];
    }

    private static async Task<List<double>> TimesAsync(FileInfo app, FileInfo model, int runs, CancellationToken cancellation)
    {
        // One start first, not counted: it warms the disk cache and this process's own HTTP client, whose first
        // request would otherwise compile on the same two cores as the app starting.
        await FirstSongAsync(app, model, cancellation);
        var times = new List<double>();
        for (var run = 0; run < runs; run++)
            times.Add(await FirstSongAsync(app, model, cancellation));
        return [.. times.Order()];
    }

    private static async Task<double> FirstSongAsync(FileInfo app, FileInfo model, CancellationToken cancellation)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { app.FullName, "--local", "--port", $"{port}", $"--Generation:ModelPath={model.FullName}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        // The app says when it listens; the benchmark waits for that line rather than polling, whose failed
        // connections would take CPU time from the app on a machine of two cores.
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, line) => Listening(line.Data);
        process.ErrorDataReceived += (_, line) => Listening(line.Data);
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("The app exited before it served a song."));
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await listening.Task.WaitAsync(cancellation);
            using var response = await client.GetAsync("/api/generate?steps=256&seed=0", cancellation);
            response.EnsureSuccessStatusCode();
            return clock.Elapsed.TotalMilliseconds;
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(cancellation);
        }

        void Listening(string? line)
        {
            if (line?.Contains(LocalServer.ListeningLine, StringComparison.Ordinal) == true)
                listening.TrySetResult();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
