using System.CommandLine;
using CrnnGan.Inference.Music;

namespace CrnnGan.Terminal;

/// <summary>
/// Runs a command line; failures the user can fix become one line on stderr and exit code 1, not a stack trace. Tables
/// written to a file or a pipe keep each row on one line (<see cref="RedirectedTables"/>).
/// </summary>
public static class CommandRunner
{
    public static int Run(RootCommand root, string[] args)
    {
        RedirectedTables.Widen();
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
