using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CrnnGan.Inference.Datasets;
using CrnnGan.Inference.Storage;

namespace CrnnGan.Cli.Datasets;

/// <summary>
/// The dataset endpoints of a deployed app (or the local server): submit a job, read its status, and download a
/// complete job's songs and manifest through the read-only links its status gives, resumably.
/// </summary>
public sealed class DatasetClient(HttpClient http)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>An HTTP client for <paramref name="endpoint"/> (the app's root), sending <paramref name="functionKey"/> when given.</summary>
    public static HttpClient Http(Uri endpoint, string? functionKey)
    {
        var http = new HttpClient { BaseAddress = endpoint, Timeout = TimeSpan.FromMinutes(2) };
        if (!string.IsNullOrEmpty(functionKey))
            http.DefaultRequestHeaders.Add("x-functions-key", functionKey);
        return http;
    }

    /// <summary>Submits a job: the generation fields as the endpoint takes them. Returns its id.</summary>
    public async Task<string> SubmitAsync(IReadOnlyDictionary<string, object> fields, CancellationToken cancellation)
    {
        using var response = await http.PostAsJsonAsync("api/datasets", fields, Web, cancellation);
        var body = await response.Content.ReadAsStringAsync(cancellation);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"The app refused the job ({(int)response.StatusCode}): {Problem(body)}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    public async Task<DatasetStatus> StatusAsync(string job, CancellationToken cancellation)
    {
        using var response = await http.GetAsync($"api/datasets/{Uri.EscapeDataString(job)}", cancellation);
        var body = await response.Content.ReadAsStringAsync(cancellation);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"No status for job {job} ({(int)response.StatusCode}): {Problem(body)}");
        return JsonSerializer.Deserialize<DatasetStatus>(body, Web)!;
    }

    /// <summary>
    /// Downloads a complete job into <paramref name="folder"/>: songs already there at their full size are kept, the
    /// others written under a temporary name and renamed, the manifest last. Checks that every song it lists is there.
    /// </summary>
    public async Task<int> DownloadAsync(string job, string folder, IProgress<(int Done, int Total)> progress, CancellationToken cancellation)
    {
        var status = await StatusAsync(job, cancellation);
        if (status.State != "complete" || status.Songs is null || status.Manifest is null)
            throw new InvalidOperationException(
                $"Job {job} is {status.State}: {status.Batches.Done} of {status.Batches.Total} batches done, {status.Batches.Failed} failed."
            );
        Directory.CreateDirectory(folder);
        var container = new BlobContainerClient(status.Songs);
        var songs = new List<BlobItem>();
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, $"{job}/song-", cancellation))
            songs.Add(blob);
        var done = 0;
        var fetched = 0;
        await Parallel.ForEachAsync(
            songs,
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellation },
            async (blob, token) =>
            {
                var path = Path.Combine(folder, Path.GetFileName(blob.Name));
                if (!File.Exists(path) || new FileInfo(path).Length != blob.Properties.ContentLength)
                {
                    var content = await container.GetBlobClient(blob.Name).DownloadContentAsync(token);
                    AtomicFile.WriteAllBytes(path, content.Value.Content.ToArray());
                    Interlocked.Increment(ref fetched);
                }
                progress.Report((Interlocked.Increment(ref done), songs.Count));
            }
        );
        var manifest = await new BlobClient(status.Manifest).DownloadContentAsync(cancellation);
        var lines = manifest.Value.Content.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var missing = lines
            .Select(l => JsonSerializer.Deserialize<ManifestEntry>(l, DatasetSong.Json)!.File)
            .Where(f => !File.Exists(Path.Combine(folder, f)))
            .ToList();
        if (lines.Length != status.Count || songs.Count != status.Count || missing.Count > 0)
            throw new InvalidDataException(
                $"Job {job} should hold {status.Count} songs: its manifest lists {lines.Length}, storage holds {songs.Count}, "
                    + $"{missing.Count} listed songs are missing{(missing.Count > 0 ? $" (first: {missing[0]})" : "")}."
            );
        AtomicFile.Write(Path.Combine(folder, DatasetFolder.ManifestName), temporary => File.WriteAllLines(temporary, lines));
        return fetched;
    }

    private static string Problem(string body)
    {
        try
        {
            var root = JsonDocument.Parse(body).RootElement;
            return root.TryGetProperty("detail", out var detail) ? detail.GetString() ?? body : body;
        }
        catch (JsonException)
        {
            return body;
        }
    }
}
