using System.Diagnostics;

namespace CrnnGan.TestSupport;

/// <summary>What a command-line tool printed and returned.</summary>
public sealed record CommandResult(int ExitCode, string Output, string Error);

/// <summary>Runs one of the project's tools (built next to the test assembly) as a real process.</summary>
public static class CommandLine
{
    public static CommandResult Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, $"{tool}.dll"));
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["NO_COLOR"] = "1";

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} {string.Join(' ', arguments)} did not finish within 5 minutes.");
        }
        return new CommandResult(process.ExitCode, output.Result, error.Result);
    }
}
