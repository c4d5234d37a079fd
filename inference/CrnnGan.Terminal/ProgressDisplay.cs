using Spectre.Console;

namespace CrnnGan.Terminal;

/// <summary>The progress bar every long command shows: description, bar, percentage, rate, elapsed and remaining time.</summary>
public static class ProgressDisplay
{
    /// <summary>Progress goes to stderr, so that stdout stays clean for machine-readable output.</summary>
    public static IAnsiConsole Stderr { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    /// <summary>
    /// Reports (done, total) counts straight into a progress task. Unlike <see cref="Progress{T}"/>, which posts
    /// each report to the thread pool, the bar never steps back.
    /// </summary>
    public static IProgress<(int Done, int Total)> Counts(ProgressTask task) => new CountProgress(task);

    /// <summary>Runs <paramref name="work"/> with one progress task, whose total the work sets once it knows it.</summary>
    public static T Run<T>(string description, string unit, Func<ProgressTask, T> work) =>
        Bar(unit).Start(context => work(context.AddTask(description)));

    public static Task RunAsync(string description, string unit, Func<ProgressTask, Task> work) =>
        Bar(unit).StartAsync(context => work(context.AddTask(description)));

    private static Progress Bar(string unit) =>
        Stderr
            .Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(
                new TaskDescriptionColumn(),
                new ProgressBarColumn(),
                new PercentageColumn(),
                new RateColumn(unit),
                new ElapsedTimeColumn(),
                new RemainingTimeColumn()
            );

    private sealed class CountProgress(ProgressTask task) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value)
        {
            task.MaxValue = value.Total;
            task.Value = Math.Max(task.Value, value.Done);
        }
    }
}
