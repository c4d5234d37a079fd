using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CrnnGan.Functions.Hosting;
using Spectre.Console;

/// <summary>
/// `startup`: the app as a new process (its --local mode, as from the published folder) from process start to the
/// first song served, several times; the median is what a request after a scale-out waits for, less the platform's part.
/// Each start alternates with one of a bare web program serving the same model (<see cref="BareServer"/>), so that the app
/// is measured against what any .NET program serving it takes on the same machine at the same time.
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
                var (appTimes, bare) = await BothAsync(parse.GetValue(app)!, parse.GetValue(model)!, parse.GetValue(runs), cancellation);
                var table = new Table()
                    .Title($"A new process, {Environment.ProcessorCount} cores: process start to the first 256-step song served")
                    .AddColumns("program", "runs", "median", "min", "max", "median × the bare program's");
                foreach (var (name, sorted) in new[] { ("the app", appTimes), ("a bare web program", bare) })
                    table.AddRow(
                        name,
                        $"{sorted.Count}",
                        $"{Median(sorted):0} ms",
                        $"{sorted[0]:0} ms",
                        $"{sorted[^1]:0} ms",
                        $"{Median(sorted) / Median(bare):0.00}"
                    );
                AnsiConsole.Write(table);
                return 0;
            }
        );
        return command;
    }

    /// <summary>The medians of <paramref name="runs"/> starts of the app, each to its first song served, and of the bare program.</summary>
    public static async Task<(double App, double Bare)> MediansAsync(FileInfo app, FileInfo model, int runs, CancellationToken cancellation)
    {
        var (appTimes, bareTimes) = await BothAsync(app, model, runs, cancellation);
        return (Median(appTimes), Median(bareTimes));
    }

    private static double Median(List<double> sorted) => sorted[sorted.Count / 2];

    private static async Task<(List<double> App, List<double> Bare)> BothAsync(FileInfo app, FileInfo model, int runs, CancellationToken cancellation)
    {
        ProcessStartInfo App(int port) =>
            new("dotnet") { ArgumentList = { app.FullName, "--local", "--port", $"{port}", $"--Generation:ModelPath={model.FullName}" } };
        ProcessStartInfo Bare(int port) =>
            new("dotnet") { ArgumentList = { typeof(BareServer).Assembly.Location, "bare", "--port", $"{port}", "--model", model.FullName } };
        // One start of each first, not counted: it warms the disk cache and this process's own HTTP client, whose first
        // request would otherwise compile on the same two cores as the program starting.
        await FirstAnswerAsync(App, cancellation);
        await FirstAnswerAsync(Bare, cancellation);
        var (appTimes, bareTimes) = (new List<double>(), new List<double>());
        for (var run = 0; run < runs; run++)
        {
            appTimes.Add(await FirstAnswerAsync(App, cancellation));
            bareTimes.Add(await FirstAnswerAsync(Bare, cancellation));
        }
        return ([.. appTimes.Order()], [.. bareTimes.Order()]);
    }

    private static async Task<double> FirstAnswerAsync(Func<int, ProcessStartInfo> program, CancellationToken cancellation)
    {
        var port = FreePort();
        var start = program(port);
        (start.RedirectStandardOutput, start.RedirectStandardError) = (true, true);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        // The app says when it listens; the benchmark waits for that line rather than polling, whose failed
        // connections would take CPU time from the app on a machine of two cores.
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, line) => Listening(line.Data);
        process.ErrorDataReceived += (_, line) => Listening(line.Data);
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"{start.ArgumentList[0]} exited before it answered."));
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
