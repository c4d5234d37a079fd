using Spectre.Console;

namespace CrnnGan.Terminal;

/// <summary>
/// Written to a file or a pipe, tables are laid out 160 columns wide rather than the 80 a console without a window is
/// taken to have, so that a log keeps each row on one line.
/// </summary>
public static class RedirectedTables
{
    private const int Width = 160;

    /// <summary>Widens Spectre.Console's tables when standard output is redirected; a console keeps its own width.</summary>
    public static void Widen()
    {
        if (Console.IsOutputRedirected)
            AnsiConsole.Profile.Width = Width;
    }
}
