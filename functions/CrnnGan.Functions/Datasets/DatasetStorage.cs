using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace CrnnGan.Functions.Datasets;

/// <summary>This instance's dataset store, or why there is none (the generate endpoints work without one).</summary>
public sealed class DatasetStorage(IConfiguration configuration, IOptions<DatasetOptions> options)
{
    private readonly Lazy<(DatasetStore? Store, string? Problem)> _store = new(() => DatasetStore.Connect(configuration, options.Value));

    public DatasetOptions Options { get; } = options.Value;

    public DatasetStore? Store => _store.Value.Store;

    public string? Problem => _store.Value.Problem;
}
