using CrnnGan.Functions.Hosting;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

if (args.Contains(LocalServer.Flag))
{
    await LocalServer.RunAsync(args);
    return;
}

var builder = FunctionsApplication.CreateBuilder(args);
builder.Services.AddMusicGeneration(builder.Configuration);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<NoSniffMiddleware>();
builder.Build().Run();
