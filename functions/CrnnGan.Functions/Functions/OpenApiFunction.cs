using CrnnGan.Functions.Datasets;
using CrnnGan.Functions.Hosting;
using CrnnGan.Functions.Requests;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CrnnGan.Functions.Functions;

/// <summary>GET /api/openapi.json (anonymous): the OpenAPI 3 document of this app's HTTP API, with this instance's limits.</summary>
public sealed class OpenApiFunction(ModelHost model, DatasetStorage storage)
{
    [Function("openapi")]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest request) =>
        new ContentResult
        {
            Content = ApiDocument.Write(model.Options, storage.Options).ToJsonString(SongResponses.Json),
            ContentType = "application/json; charset=utf-8",
            StatusCode = 200,
        };
}
