using Spectre.Console;
using Spectre.Console.Rendering;

namespace CrnnGan.Terminal;

/// <summary>A progress column showing the task's rate, e.g. "512.3 files/s".</summary>
public sealed class RateColumn(string unit) : ProgressColumn
{
    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
        new Markup(task.Speed is { } speed ? $"[blue]{speed, 7:0.0} {unit}/s[/]" : $"[grey]{"?", 7} {unit}/s[/]");
}
