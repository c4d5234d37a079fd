using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CrnnGan.TestSupport;

namespace CrnnGan.Functions.Tests.Datasets;

/// <summary>
/// Azurite, the Azure Storage emulator, from tests/azurite (npm ci there; .ci/run does), on free ports with its
/// files in a temporary folder. Where it is not installed the dataset tests skip, unless CRNNGAN_REQUIRE_AZURITE=1.
/// </summary>
public sealed class Azurite : IAsyncDisposable
{
    // Azurite's well-known development account; it exists only inside the emulator.
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly TemporaryFolder _folder = new();
    private readonly int[] _ports = [FreePort(), FreePort(), FreePort()];
    private Process? _process;

    private Azurite() { }

    /// <summary>
    /// The flags of README's command (<c>npm --prefix tests/azurite start</c>, the start script in tests/azurite/package.json)
    /// but its folder: the tests run Azurite as a user does, so the command cannot lose a flag the app needs
    /// (without --skipApiVersionCheck Azurite refuses the Storage SDK's API version). --disableTelemetry matters here
    /// too: telemetry would wait on a network this machine cannot reach, and meanwhile ignore SIGTERM.
    /// </summary>
    public static IReadOnlyList<string> ReadmeFlags
    {
        get
        {
            using var package = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "tests", "azurite", "package.json")));
            var words = package.RootElement.GetProperty("scripts").GetProperty("start").GetString()!.Split(' ');
            var location = Array.IndexOf(words, "--location");
            return [.. words.Where((_, i) => i > 0 && i != location && i != location + 1)];
        }
    }

    public static string Script => Path.Combine(Repository.Root, "tests", "azurite", "node_modules", "azurite", "dist", "src", "azurite.js");

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};"
        + $"BlobEndpoint=http://127.0.0.1:{_ports[0]}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{_ports[1]}/devstoreaccount1;";

    public static async Task<Azurite> StartAsync()
    {
        var installed = File.Exists(Script);
        if (!installed && Environment.GetEnvironmentVariable("CRNNGAN_REQUIRE_AZURITE") == "1")
            throw new FileNotFoundException($"CRNNGAN_REQUIRE_AZURITE=1 but Azurite is not at {Script}: run npm ci --prefix tests/azurite.");
        Assert.SkipUnless(installed, $"Azurite is not installed (npm ci --prefix tests/azurite): {Script}");
        var azurite = new Azurite();
        await azurite.RestartAsync();
        return azurite;
    }

    /// <summary>Starts it (again, over the same files).</summary>
    public async Task RestartAsync()
    {
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        string[] arguments =
        [
            Script,
            .. ReadmeFlags,
            "--blobPort",
            $"{_ports[0]}",
            "--queuePort",
            $"{_ports[1]}",
            "--tablePort",
            $"{_ports[2]}",
            "--location",
            _folder.Path,
        ];
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (!Listening(_ports[0]) || !Listening(_ports[1]))
        {
            if (_process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(30))
                throw new InvalidOperationException($"Azurite did not start (exit code {(_process.HasExited ? _process.ExitCode : "none")}).");
            await Task.Delay(100);
        }
    }

    /// <summary>Stops it as a service manager would (SIGTERM), so that it saves its state first.</summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process)
            return;
        using (var kill = Process.Start("kill", ["-TERM", $"{process.Id}"]))
            await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(timeout.Token);
        process.Dispose();
        _process = null;
    }

    private static bool Listening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        _process?.Dispose();
        _folder.Dispose();
    }
}
