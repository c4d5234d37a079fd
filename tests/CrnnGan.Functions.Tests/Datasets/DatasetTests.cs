using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CrnnGan.Cli.Datasets;
using CrnnGan.Functions.Datasets;
using CrnnGan.Functions.Functions;
using CrnnGan.Functions.Hosting;
using CrnnGan.Inference.Datasets;
using CrnnGan.Inference.Generation;
using CrnnGan.Inference.Generation.Encodings;
using CrnnGan.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrnnGan.Functions.Tests.Datasets;

/// <summary>
/// Dataset jobs against Azurite with the real Azure Storage SDKs: the app's submit and status over HTTP, and the
/// same queue function driven by <see cref="QueueDrainer"/> workers, as several instances would drain the queue.
/// </summary>
public sealed class DatasetTests : IAsyncLifetime
{
    private const string Container = "datasets";
    private Azurite? _azurite;
    private WebApplication? _app;
    private HttpClient _client = new();

    public async ValueTask InitializeAsync()
    {
        _azurite = await Azurite.StartAsync();
        var settings = FunctionsServer.Settings(FixtureModels.Tones);
        settings["AzureWebJobsStorage"] = _azurite.ConnectionString;
        settings["Datasets:FanOut"] = "4";
        (_app, _client) = await FunctionsServer.StartAsync(settings);
    }

    private DatasetStorage Storage => _app!.Services.GetRequiredService<DatasetStorage>();

    private BlobContainerClient Blobs => new(_azurite!.ConnectionString, Container);

    private QueueDrainer Drainer(Func<string, CancellationToken, Task>? handler = null, double leaseSeconds = 30, int maxDequeueCount = 5) =>
        new(Storage, _app!.Services.GetRequiredService<DatasetWorker>(), NullLogger<QueueDrainer>.Instance)
        {
            Handler = handler,
            Lease = TimeSpan.FromSeconds(leaseSeconds),
            RetryDelay = TimeSpan.FromMilliseconds(100),
            MaxDequeueCount = maxDequeueCount,
        };

    private static async Task DrainAsync(QueueDrainer drainer, int workers)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await drainer.DrainAsync(workers, timeout.Token);
    }

    private async Task<string> SubmitAsync(int count, ulong seed)
    {
        using var response = await _client.PostAsJsonAsync(
            "/api/datasets",
            new
            {
                count,
                seed,
                steps = 24,
                name = "test set",
            }
        );
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var id = body.RootElement.GetProperty("id").GetString()!;
        Assert.Equal($"/api/datasets/{id}", response.Headers.Location!.OriginalString);
        return id;
    }

    private async Task<DatasetStatus> StatusAsync(string job) =>
        (await _client.GetFromJsonAsync<DatasetStatus>($"/api/datasets/{job}", SongResponses.Json))!;

    private async Task<Dictionary<string, BlobItem>> SongBlobsAsync(string job)
    {
        var songs = new Dictionary<string, BlobItem>();
        await foreach (var blob in Blobs.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, $"{job}/song-", default))
            songs[blob.Name[(job.Length + 1)..]] = blob;
        return songs;
    }

    /// <summary>What crnngan generate makes of the same settings: its library call, batch size 64.</summary>
    private Dictionary<string, byte[]> Expected(int count, ulong seed)
    {
        var session = _app!.Services.GetRequiredService<ModelHost>().Session!;
        var request = new GenerationRequest
        {
            Count = count,
            Seed = seed,
            Steps = 24,
            BatchSize = 64,
            Bpm = session.Metadata.DefaultTempoBpm,
            Temperature = ((ToneEncoding)session.Metadata.Encoding).DefaultTemperature,
        };
        return new SongGenerator(session).Generate(request).ToDictionary(s => $"song-{s.Seed}.mid", s => s.ToMidi(0));
    }

    private async Task AssertExactlyTheSongsAsync(string job, int count, ulong seed)
    {
        var expected = Expected(count, seed);
        var blobs = await SongBlobsAsync(job);
        Assert.Equal(expected.Keys.Order(), blobs.Keys.Order());
        foreach (var (name, bytes) in expected)
            Assert.Equal(bytes, (await Blobs.GetBlobClient($"{job}/{name}").DownloadContentAsync()).Value.Content.ToArray());
        var status = await StatusAsync(job);
        Assert.Equal(("complete", count, 0), (status.State, status.SongsWritten, status.Batches.Failed));
        var manifest = await new HttpClient().GetStringAsync(status.Manifest);
        var entries = manifest
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonSerializer.Deserialize<ManifestEntry>(l, DatasetSong.Json)!);
        Assert.Equal(expected.Keys.Order(), entries.Select(e => e.File).Order());
        Assert.Equal(Enumerable.Range(0, count), entries.Select(e => e.Index));
    }

    [Theory]
    [InlineData(512, 4)]
    [InlineData(130, 1)]
    public async Task A_job_drained_by_n_workers_holds_exactly_the_songs_crnngan_generate_makes_and_a_complete_manifest(int count, int workers)
    {
        var job = await SubmitAsync(count, 1000);
        Assert.Equal("running", (await StatusAsync(job)).State);

        await DrainAsync(Drainer(), workers);

        await AssertExactlyTheSongsAsync(job, count, 1000);
        var status = await StatusAsync(job);
        Assert.Equal(((count + 63) / 64, (count + 63) / 64), (status.Batches.Total, status.Batches.Done));
        Assert.Equal("test set", status.Name);
        Assert.True(status.CreatedUtc <= status.UpdatedUtc && status.UpdatedUtc <= status.CompletedUtc, $"{status}");
        var song = (await SongBlobsAsync(job))["song-1000.mid"];
        Assert.Equal("1000", song.Metadata["seed"]);
        Assert.True(double.Parse(song.Metadata["scale_consistency"], System.Globalization.CultureInfo.InvariantCulture) > 0);
        var listed = new BlobContainerClient(status.Songs!).GetBlobsAsync(BlobTraits.None, BlobStates.None, $"{job}/song-", default);
        Assert.Equal(count, await listed.CountAsync());
    }

    [Fact]
    public async Task The_cli_client_submits_refuses_to_download_a_running_job_then_downloads_and_resumes_checking_every_song()
    {
        using var folder = new TemporaryFolder();
        var client = new DatasetClient(_client);
        var fields = new Dictionary<string, object>
        {
            ["count"] = 100,
            ["seed"] = 77,
            ["steps"] = 24,
        };
        var job = await client.SubmitAsync(fields, default);
        var progress = new Progress<(int, int)>();

        var early = await Assert.ThrowsAsync<InvalidOperationException>(() => client.DownloadAsync(job, folder.Path, progress, default));
        Assert.Contains("0 of 2 batches done", early.Message, StringComparison.Ordinal);

        await DrainAsync(Drainer(), 2);
        Assert.Equal(100, await client.DownloadAsync(job, folder.Path, progress, default));
        Assert.Equal(0, await client.DownloadAsync(job, folder.Path, progress, default));
        File.Delete(Path.Combine(folder.Path, "song-80.mid"));
        await File.WriteAllBytesAsync(Path.Combine(folder.Path, "song-81.mid"), [1, 2, 3]);
        Assert.Equal(2, await client.DownloadAsync(job, folder.Path, progress, default));

        var expected = Expected(100, 77);
        Assert.Equal(expected.Keys.Append(DatasetFolder.ManifestName).Order(), Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order());
        foreach (var (name, bytes) in expected)
            Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(folder.Path, name)));
        Assert.Equal(100, File.ReadAllLines(Path.Combine(folder.Path, DatasetFolder.ManifestName)).Length);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            client.SubmitAsync(new Dictionary<string, object> { ["count"] = 0 }, default)
        );
        Assert.Contains("count", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_delivered_again_after_completion_rewrites_nothing()
    {
        var job = await SubmitAsync(130, 7);
        await DrainAsync(Drainer(), 2);
        var before = (await SongBlobsAsync(job)).ToDictionary(b => b.Key, b => b.Value.Properties.ETag);
        var manifest = (await Blobs.GetBlobClient($"{job}/manifest.jsonl").GetPropertiesAsync()).Value.ETag;

        await Storage.Store!.Queue.SendMessageAsync(new DatasetMessage(job, 1, 1).ToJson());
        await Storage.Store.Queue.SendMessageAsync(new DatasetMessage(job, 1, 1).ToJson());
        await Storage.Store.Queue.SendMessageAsync(new DatasetMessage(job, 0, 2).ToJson());
        await DrainAsync(Drainer(), 2);

        Assert.Equal(before, (await SongBlobsAsync(job)).ToDictionary(b => b.Key, b => b.Value.Properties.ETag));
        Assert.Equal(manifest, (await Blobs.GetBlobClient($"{job}/manifest.jsonl").GetPropertiesAsync()).Value.ETag);
        await AssertExactlyTheSongsAsync(job, 130, 7);
    }

    [Fact]
    public async Task A_worker_that_dies_mid_batch_leaves_its_message_to_another_and_the_job_ends_with_exactly_its_songs()
    {
        var job = await SubmitAsync(192, 40);
        var worker = _app!.Services.GetRequiredService<DatasetWorker>();
        var died = 0;
        async Task DieOnce(string text, CancellationToken cancellation)
        {
            if (DatasetMessage.Parse(text).Message is { IsBatch: true, First: 1 } && Interlocked.Exchange(ref died, 1) == 0)
            {
                // The songs it wrote before it died: the first 20 of its batch.
                var session = _app!.Services.GetRequiredService<ModelHost>().Session!;
                var record = (await Storage.Store!.ReadJobAsync(job, cancellation))!;
                foreach (var song in new SongGenerator(session).GenerateBatch(record.Request, 1).Take(20))
                    await Storage.Store.WriteSongAsync(job, DatasetSong.Of(song, record.Settings, DatasetJob.FileOf), cancellation);
                throw new QueueDrainer.WorkerDiedException();
            }
            await worker.ProcessAsync(text, cancellation);
        }

        await DrainAsync(Drainer(DieOnce, leaseSeconds: 2), 2);

        Assert.Equal(1, died);
        await AssertExactlyTheSongsAsync(job, 192, 40);
    }

    [Fact]
    public async Task A_batch_that_keeps_failing_lands_in_the_poison_queue_and_the_status_names_it_with_its_error()
    {
        var job = await SubmitAsync(192, 3);
        var worker = _app!.Services.GetRequiredService<DatasetWorker>();
        var attempts = 0;
        Task FailBatchTwo(string text, CancellationToken cancellation)
        {
            if (DatasetMessage.Parse(text).Message is { IsBatch: true, First: 2 })
            {
                Interlocked.Increment(ref attempts);
                throw new InvalidDataException("batch 2 is broken");
            }
            return worker.ProcessAsync(text, cancellation);
        }

        await DrainAsync(Drainer(FailBatchTwo, maxDequeueCount: 3), 2);

        var status = await StatusAsync(job);
        Assert.Equal(3, attempts);
        Assert.Equal(("failed", 3, 2, 1), (status.State, status.Batches.Total, status.Batches.Done, status.Batches.Failed));
        Assert.Equal(2, Assert.Single(status.Failed).Batch);
        Assert.Contains("InvalidDataException: batch 2 is broken", status.Failed[0].Reason, StringComparison.Ordinal);
        Assert.Null(status.Manifest);
        Assert.Equal(128, (await SongBlobsAsync(job)).Count);
    }

    [Fact]
    public async Task A_malformed_message_goes_to_the_poison_queue_and_the_workers_go_on()
    {
        await Storage.Store!.EnsureCreatedAsync(default);
        await Storage.Store.Queue.SendMessageAsync("{not a dataset message");
        await Storage.Store.Queue.SendMessageAsync("""{"job":"../../etc","first":0,"last":0}""");
        var job = await SubmitAsync(64, 5);

        await DrainAsync(Drainer(), 1);

        await AssertExactlyTheSongsAsync(job, 64, 5);
        Assert.Equal(0, (await Storage.Store.Poison.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task Storage_that_stops_mid_job_and_comes_back_lets_the_job_complete()
    {
        var job = await SubmitAsync(256, 11);
        var worker = _app!.Services.GetRequiredService<DatasetWorker>();
        Task? outage = null;
        async Task StopAfterFirstBatch(string text, CancellationToken cancellation)
        {
            await worker.ProcessAsync(text, cancellation);
            if (DatasetMessage.Parse(text).Message is { IsBatch: true } && outage is null)
                outage = Task.Run(
                    async () =>
                    {
                        await _azurite!.StopAsync();
                        await Task.Delay(1500);
                        await _azurite.RestartAsync();
                    },
                    CancellationToken.None
                );
        }

        await DrainAsync(Drainer(StopAfterFirstBatch, leaseSeconds: 3), 2);
        await outage!;
        await DrainAsync(Drainer(), 2);

        await AssertExactlyTheSongsAsync(job, 256, 11);
    }

    [Fact]
    public async Task Submit_refuses_what_it_cannot_make_naming_the_field_and_status_knows_no_other_job()
    {
        async Task AssertRefused(object body, string field)
        {
            using var response = await _client.PostAsJsonAsync("/api/datasets", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), problem.RootElement.ToString());
        }

        await AssertRefused(new { count = 2_000_000 }, "count");
        await AssertRefused(new { count = 10, format = "zip" }, "format");
        await AssertRefused(new { count = 10, name = "../x" }, "name");
        await AssertRefused(new { count = 10, colour = "blue" }, "colour");
        using var missing = await _client.GetAsync($"/api/datasets/{new string('a', 32)}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType!.MediaType);
        using var malformed = await _client.GetAsync("/api/datasets/..%2F..%2Fetc");
        Assert.Equal(HttpStatusCode.NotFound, malformed.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        if (_app is not null)
            await _app.DisposeAsync();
        if (_azurite is not null)
            await _azurite.DisposeAsync();
    }
}
