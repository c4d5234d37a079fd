using CrnnGan.Functions.Datasets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CrnnGan.Functions.Hosting;

public static class ServiceRegistration
{
    /// <summary>
    /// The generation endpoints' services: options from configuration, one shared model, which starts loading here,
    /// on a thread of its own, while the host is built and started (a cold start's longest part).
    /// </summary>
    public static IServiceCollection AddMusicGeneration(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GenerationOptions>().Bind(configuration.GetSection(GenerationOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GenerationOptions>, GenerationOptionsValidator>();
        var model = ModelHost.StartLoading(configuration);
        // A factory, not an instance, so that the container disposes of the model with the app.
        services.AddSingleton(provider => model ?? new ModelHost(provider.GetRequiredService<IOptions<GenerationOptions>>().Value));
        services.AddHostedService<ModelLoadReport>();
        services.AddOptions<DatasetOptions>().Bind(configuration.GetSection(DatasetOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatasetOptions>, DatasetOptionsValidator>();
        services.AddSingleton<DatasetStorage>();
        services.AddSingleton<DatasetWorker>();
        services.AddSingleton<QueueDrainer>();
        return services;
    }

    private sealed class DatasetOptionsValidator : IValidateOptions<DatasetOptions>
    {
        public ValidateOptionsResult Validate(string? name, DatasetOptions options) =>
            options.Problems().ToList() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }

    private sealed class GenerationOptionsValidator : IValidateOptions<GenerationOptions>
    {
        public ValidateOptionsResult Validate(string? name, GenerationOptions options) =>
            options.Problems().ToList() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
