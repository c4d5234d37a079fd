using System.CommandLine;
using CrnnGan.Inference.Music;
using Spectre.Console;

namespace CrnnGan.Terminal;

/// <summary>
/// Runs a command line; failures the user can fix become one line on stderr and exit code 1, not a stack trace. Written
/// to a file or a pipe, tables are laid out 160 columns wide rather than the 80 a console without a window is taken to
/// have, so that a log keeps each row on one line.
/// </summary>
public static class CommandRunner
{
    private const int RedirectedWidth = 160;

    public static int Run(RootCommand root, string[] args)
    {
        if (Console.IsOutputRedirected)
            AnsiConsole.Profile.Width = RedirectedWidth;
        try
        {
            return root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
            when (e
                    is IOException
                        or UnauthorizedAccessException
                        or InvalidDataException
                        or ArgumentException
                        or MidiReadException
                        or HttpRequestException
                        or InvalidOperationException
            )
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
