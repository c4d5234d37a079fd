using CrnnGan.TestSupport;

namespace CrnnGan.Functions.Tests.Datasets;

/// <summary>README's Azurite command is the one the dataset tests run (<see cref="Azurite.ReadmeFlags"/>).</summary>
public sealed class AzuriteCommandTests
{
    [Fact]
    public void Readme_starts_azurite_through_the_start_script_whose_flags_the_dataset_tests_use()
    {
        var readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md"));

        Assert.Contains("npm ci --prefix tests/azurite && npm --prefix tests/azurite start", readme);
        Assert.Contains("--skipApiVersionCheck", Azurite.ReadmeFlags);
        Assert.DoesNotContain("--location", Azurite.ReadmeFlags);
    }
}
