using System.Text.Json;
using CrnnGan.TestSupport;

namespace CrnnGan.Functions.Tests;

/// <summary>What the build tells the Functions host: names, routes, methods and authorization levels.</summary>
public sealed class FunctionsMetadataTests
{
    [Fact]
    public void The_build_declares_the_four_functions_with_their_routes_methods_and_keys()
    {
        using var metadata = JsonDocument.Parse(File.ReadAllText(FunctionsBuildFile("functions.metadata")));

        var functions = metadata
            .RootElement.EnumerateArray()
            .ToDictionary(
                f => f.GetProperty("name").GetString()!,
                f => f.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "httpTrigger")
            );

        Assert.Equal(["generate", "health", "model", "page"], functions.Keys.Order());
        Assert.Equal(("generate", "Function", "get,post"), Describe(functions["generate"]));
        Assert.Equal(("model", "Function", "get"), Describe(functions["model"]));
        Assert.Equal(("health", "Anonymous", "get"), Describe(functions["health"]));
        Assert.Equal(("play/{file?}", "Anonymous", "get"), Describe(functions["page"]));
    }

    [Fact]
    public void The_repository_host_json_is_the_apps_and_puts_routes_under_api()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(FunctionsBuildFile("host.json")));

        Assert.Equal("2.0", host.RootElement.GetProperty("version").GetString());
        Assert.Equal("api", host.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
        Assert.Equal(File.ReadAllText(Path.Combine(Repository.Root, "host.json")), File.ReadAllText(FunctionsBuildFile("host.json")));
    }

    private static (string Route, string AuthLevel, string Methods) Describe(JsonElement trigger) =>
        (
            trigger.GetProperty("route").GetString()!,
            trigger.GetProperty("authLevel").GetString()!,
            string.Join(',', trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()))
        );

    /// <summary>A file of the functions project's build output, which the build copies beside these tests.</summary>
    private static string FunctionsBuildFile(string name) => Path.Combine(AppContext.BaseDirectory, name);
}
