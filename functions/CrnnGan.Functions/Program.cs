using CrnnGan.Functions.Hosting;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

if (args.Contains(LocalServer.Flag))
{
    await LocalServer.RunAsync(args);
    return;
}

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<NoSniffMiddleware>();
builder.Services.AddMusicGeneration(builder.Configuration);
builder.Build().Run();
