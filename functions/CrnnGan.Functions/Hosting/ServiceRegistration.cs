using CrnnGan.Functions.Datasets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CrnnGan.Functions.Hosting;

public static class ServiceRegistration
{
    /// <summary>The generation endpoints' services: options from configuration, one shared model, its warm-up at start.</summary>
    public static IServiceCollection AddMusicGeneration(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GenerationOptions>().Bind(configuration.GetSection(GenerationOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GenerationOptions>, GenerationOptionsValidator>();
        services.AddSingleton<ModelHost>();
        services.AddHostedService<ModelWarmup>();
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
