using System.Text.Json;
using CrnnGan.Functions.Hosting;
using CrnnGan.TestSupport;

namespace CrnnGan.Functions.Tests;

/// <summary>What the build tells the Functions host: names, routes, methods and authorization levels.</summary>
public sealed class FunctionsMetadataTests
{
    /// <summary>Routes are declared once, in the functions' attributes: what the build tells the host is what they say.</summary>
    [Fact]
    public void The_build_declares_each_http_function_with_the_route_methods_and_key_its_attributes_give()
    {
        using var metadata = JsonDocument.Parse(File.ReadAllText(FunctionsBuildFile("functions.metadata")));

        var functions = metadata
            .RootElement.EnumerateArray()
            .Select(f => (Name: f.GetProperty("name").GetString()!, Trigger: f.GetProperty("bindings").EnumerateArray().First()))
            .Where(f => f.Trigger.GetProperty("type").GetString() == "httpTrigger")
            .Select(f => (f.Name, Describe(f.Trigger)))
            .Order();

        Assert.Equal(HttpRoutes.All.Select(r => (r.Name, (r.Template, r.Level.ToString(), string.Join(',', r.Methods)))).Order(), functions);
        Assert.Equal(7, HttpRoutes.All.Count);
    }

    [Fact]
    public void The_build_declares_the_queue_triggers_of_dataset_batches_and_their_poison_queue_on_the_storage_connection()
    {
        using var metadata = JsonDocument.Parse(File.ReadAllText(FunctionsBuildFile("functions.metadata")));

        var queues = metadata
            .RootElement.EnumerateArray()
            .SelectMany(f => f.GetProperty("bindings").EnumerateArray().Select(b => (Name: f.GetProperty("name").GetString(), Binding: b)))
            .Where(f => f.Binding.GetProperty("type").GetString() == "queueTrigger")
            .Select(f => (f.Name, f.Binding.GetProperty("queueName").GetString(), f.Binding.GetProperty("connection").GetString()))
            .Order();

        Assert.Equal(
            [("dataset-batch", "dataset-batches", "AzureWebJobsStorage"), ("dataset-poison", "dataset-batches-poison", "AzureWebJobsStorage")],
            queues
        );
    }

    [Fact]
    public void Host_json_takes_one_cpu_bound_batch_at_a_time_per_instance_and_retries_five_times()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(FunctionsBuildFile("host.json")));
        var queues = host.RootElement.GetProperty("extensions").GetProperty("queues");

        Assert.Equal(
            (1, 0, 5),
            (
                queues.GetProperty("batchSize").GetInt32(),
                queues.GetProperty("newBatchThreshold").GetInt32(),
                queues.GetProperty("maxDequeueCount").GetInt32()
            )
        );
        Assert.Equal("base64", queues.GetProperty("messageEncoding").GetString());
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
