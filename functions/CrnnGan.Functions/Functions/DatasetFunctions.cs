using CrnnGan.Functions.Datasets;
using CrnnGan.Functions.Hosting;
using CrnnGan.Functions.Requests;
using CrnnGan.Inference.Datasets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CrnnGan.Functions.Functions;

/// <summary>
/// POST /api/datasets: a job of up to a million songs, answered 202 at once; the queue does the work.
/// GET /api/datasets/{job}: its progress, failed batches, and when complete, links to the manifest and the songs.
/// </summary>
public sealed class DatasetFunctions(ModelHost model, DatasetStorage storage, DatasetWorker worker)
{
    [Function("submit-dataset")]
    public async Task<IActionResult> Submit(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "datasets")] HttpRequest request,
        CancellationToken cancellation
    )
    {
        if (model.Session is not { } session)
            return Problems.Unavailable(model.Error ?? "The model is not loaded.");
        if (storage.Store is not { } store)
            return Problems.Unavailable(storage.Problem!);
        var rules = GenerateRequestParser.Rules.ForDatasets(model.Options, storage.Options.MaxCount, storage.Options.BatchSize);
        var (parameters, problem) = await GenerateRequestParser.ParseAsync(request, model.Options, session.Metadata, rules);
        if (problem is not null)
            return problem;

        var p = parameters!;
        var format = p.Format == SongFormat.Json ? "json" : "midi";
        var settings = DatasetSettings.Of(p.Request, Path.GetFileName(model.Options.ResolvedModelPath), format);
        var job = new DatasetJob(Guid.NewGuid().ToString("N"), p.Name, p.Request.Count, settings.BatchSize, settings);
        await store.CreateJobAsync(job, cancellation);
        // A handful of messages whatever the size: each fans out into batches on the workers.
        for (var first = 0; first < job.Batches; first += storage.Options.FanOut)
        {
            var range = new DatasetMessage(job.Id, first, Math.Min(first + storage.Options.FanOut, job.Batches) - 1);
            await store.Queue.SendMessageAsync(range.ToJson(), cancellation);
        }
        var location = $"{request.PathBase}{request.Path}/{job.Id}";
        return new AcceptedResult(
            location,
            new
            {
                job.Id,
                job.Name,
                job.Count,
                job.Batches,
                job.Settings.Seed,
                Status = location,
            }
        );
    }

    [Function("dataset-status")]
    public async Task<IActionResult> Status(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "datasets/{job}")] HttpRequest request,
        string job,
        CancellationToken cancellation
    )
    {
        if (storage.Store is not { } store)
            return Problems.Unavailable(storage.Problem!);
        if (!DatasetStore.IsJobId(job) || await store.ReadJobAsync(job, cancellation) is not { } record)
            return Problems.NotFound($"There is no dataset job '{job}'.");

        var (done, complete) = await store.ProgressAsync(job, cancellation);
        if (!complete && done == record.Batches)
            complete = await store.CommitManifestAsync(record, cancellation) || (await store.ProgressAsync(job, cancellation)).Complete;
        var failures = await store.FailuresAsync(job, cancellation);
        var links = complete ? await store.LinksAsync(job, storage.Options.LinkLifetime, cancellation) : default;
        return new JsonResult(
            new DatasetStatus(
                record.Id,
                record.Name,
                complete ? "complete"
                    : failures.Count > 0 && done + failures.Count >= record.Batches ? "failed"
                    : "running",
                record.Count,
                new BatchCounts(record.Batches, done, failures.Count),
                complete ? record.Count : Math.Min(done * record.BatchSize, record.Count),
                failures,
                record.CreatedUtc,
                await store.UpdatedAsync(job, cancellation),
                complete ? await store.CompletedAsync(job, cancellation) : null,
                links.Manifest,
                links.Container,
                record.Settings
            ),
            SongResponses.Json
        );
    }

    [Function("dataset-batch")]
    public async Task MakeBatch(
        [QueueTrigger(DatasetOptions.Queue, Connection = DatasetOptions.Connection)] string message,
        CancellationToken cancellation
    )
    {
        try
        {
            await worker.ProcessAsync(message, cancellation);
        }
        catch (Exception e) when (!cancellation.IsCancellationRequested)
        {
            await worker.RecordErrorAsync(message, e);
            throw;
        }
    }

    [Function("dataset-poison")]
    public Task RecordPoison(
        [QueueTrigger(DatasetOptions.PoisonQueue, Connection = DatasetOptions.Connection)] string message,
        CancellationToken cancellation
    ) => worker.RecordPoisonAsync(message, cancellation);
}
