using System.CommandLine;
using CrnnGan.Functions.Hosting;
using CrnnGan.Inference.Generation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

/// <summary>
/// `bare`: the least a .NET web program does to serve a song (Kestrel on loopback, one route, the model opened with the
/// library before it listens, the song made on the request), said to be listening with the app's own line; `startup`
/// times it beside the app, so that the app's start is judged against what any program serving this model costs on the
/// same machine in the same run.
/// </summary>
internal static class BareServer
{
    public static Command Create(Option<FileInfo> model)
    {
        var port = new Option<int>("--port") { Description = "Loopback port to listen on.", Required = true };
        var command = new Command("bare", "A bare web program serving songs on one route: the reference for `startup`.") { model, port };
        command.SetAction(
            async (parse, cancellation) =>
            {
                var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
                builder.WebHost.UseKestrelCore().UseUrls($"http://127.0.0.1:{parse.GetValue(port)}");
                builder.Services.AddRoutingCore();
                await using var app = builder.Build();
                using var session = GeneratorSession.Open(parse.GetValue(model)!.FullName);
                var generator = new SongGenerator(session);
                app.MapGet(
                    $"/{LocalServer.RoutePrefix}/generate",
                    () => Results.Bytes(generator.Generate(new GenerationRequest { Steps = 256 })[0].ToMidi(0), "audio/midi")
                );
                await app.StartAsync(cancellation);
                Console.WriteLine(LocalServer.ListeningLine);
                await app.WaitForShutdownAsync(cancellation);
                return 0;
            }
        );
        return command;
    }
}
