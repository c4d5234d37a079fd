using Microsoft.Extensions.Logging;

namespace CrnnGan.Terminal;

/// <summary>Shows a library's notes, warnings and errors to the person at the terminal, on stderr (notes as plain lines).</summary>
public sealed class StderrLogger : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
            Console.Error.WriteLine(
                logLevel switch
                {
                    LogLevel.Information => formatter(state, exception),
                    LogLevel.Warning => $"warning: {formatter(state, exception)}",
                    _ => $"error: {formatter(state, exception)}",
                }
            );
    }
}
