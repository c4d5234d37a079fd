using System.Net;
using CrnnGan.Functions.Datasets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CrnnGan.Functions.Hosting;

/// <summary>
/// Serves the app's functions over real HTTP on the loopback interface with ASP.NET Core's Kestrel, with the
/// same services and routes (under /api) as in Azure, but without the Functions host, which cannot run where
/// Azure Functions Core Tools cannot be installed. Tests and the benchmark use it; function keys are not
/// checked here, as the Functions host checks them.
/// </summary>
public static partial class LocalServer
{
    public const string RoutePrefix = "api";

    /// <summary>How the log line that says the server listens begins (the startup benchmark waits for it).</summary>
    public const string ListeningLine = "Serving the API";

    /// <summary>The command-line flag that serves the app this way instead of under the Functions host.</summary>
    public const string Flag = "--local";

    /// <summary>
    /// `CrnnGan.Functions --local [--port 7071]`: serves until stopped, with settings from the environment and the
    /// command line (e.g. --Generation:ModelPath=model.onnx), as the Functions host would give them.
    /// </summary>
    public static async Task RunAsync(string[] args)
    {
        var portIndex = Array.IndexOf(args, "--port");
        var port = portIndex >= 0 && portIndex + 1 < args.Length && int.TryParse(args[portIndex + 1], out var p) ? p : 7071;
        var workersIndex = Array.IndexOf(args, "--workers");
        var workers = workersIndex >= 0 && workersIndex + 1 < args.Length && int.TryParse(args[workersIndex + 1], out var w) ? w : 1;
        int[] taken = [portIndex, portIndex + 1, workersIndex, workersIndex + 1];
        var rest = args.Where((a, i) => a != Flag && !taken.Contains(i)).ToArray();
        await using var app = await StartAsync(new Dictionary<string, string?>(), port, rest);
        app.Logger.LocalServing(port);
        // Without the Functions host, this process drains the dataset queue itself, as --workers instances would.
        var storage = app.Services.GetRequiredService<DatasetStorage>();
        var drained =
            storage.Store is null || workers < 1
                ? Task.CompletedTask
                : app.Services.GetRequiredService<QueueDrainer>().RunAsync(workers, app.Lifetime.ApplicationStopping);
        if (storage.Store is null)
            app.Logger.NoDatasets(storage.Problem!);
        else
            app.Logger.Draining(DatasetOptions.Queue, workers);
        await app.WaitForShutdownAsync();
        await drained;
    }

    /// <summary>Starts a server on 127.0.0.1 (port 0: any free port; see the app's Urls) with the given app settings.</summary>
    public static async Task<WebApplication> StartAsync(IReadOnlyDictionary<string, string?> settings, int port = 0, string[]? args = null)
    {
        // The app's folder is its content root, as in Azure, whatever folder it is started from; and its configuration is
        // read once: watching files for changes would walk the content root (from a repository, thousands of folders).
        var builder = WebApplication.CreateSlimBuilder(
            new WebApplicationOptions
            {
                Args = ["--hostBuilder:reloadConfigOnChange=false", .. args ?? []],
                ContentRootPath = AppContext.BaseDirectory,
            }
        );
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddMusicGeneration(builder.Configuration);
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        // Only what a user needs: the frameworks' warnings, and the server's own lines (where it listens, its workers).
        builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter(builder.Environment.ApplicationName, LogLevel.Information);
        builder.Services.AddMvcCore();
        foreach (var type in HttpRoutes.All.Select(r => r.Function).Where(f => !f.IsStatic).Select(f => f.DeclaringType!).Distinct())
            builder.Services.AddTransient(type);

        var app = builder.Build();
        app.Use(
            (context, next) =>
            {
                NoSniffMiddleware.Apply(context.Response);
                return next(context);
            }
        );
        // Plain request delegates: minimal APIs' parameter binding would compile an expression tree for every route on the
        // first request, which a cold start waits for.
        foreach (var route in HttpRoutes.All)
            app.MapMethods(
                $"/{RoutePrefix}/{route.Template}",
                [.. route.Methods.Select(m => m.ToUpperInvariant())],
                async context => await Execute(context, await route.InvokeAsync(context))
            );
        app.MapGet(
            "/",
            context =>
            {
                context.Response.Redirect($"/{RoutePrefix}/play/{context.Request.QueryString}");
                return Task.CompletedTask;
            }
        );
        await app.StartAsync();
        return app;
    }

    [LoggerMessage(
        Level = LogLevel.Information,
        Message = ListeningLine
            + " on http://127.0.0.1:{Port}/"
            + RoutePrefix
            + " and the page on http://127.0.0.1:{Port}/"
            + RoutePrefix
            + "/play/ (function keys are not checked here). Ctrl+C stops."
    )]
    private static partial void LocalServing(this ILogger logger, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Datasets are off: {Problem}")]
    private static partial void NoDatasets(this ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Draining the queue {Queue} with {Workers} worker(s).")]
    private static partial void Draining(this ILogger logger, string queue, int workers);

    private static Task Execute(HttpContext context, IActionResult result) =>
        result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
}
