using CrnnGan.Functions.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CrnnGan.Functions.Functions;

/// <summary>GET /api/health (anonymous): 200 when the model is loaded, with the provider in use; 503 with the reason otherwise.</summary>
public sealed class HealthFunction(ModelHost model)
{
    [Function("health")]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request)
    {
        return model.Session is { } session
            ? new JsonResult(
                new
                {
                    Status = "ready",
                    Provider = session.Provider.ToString().ToLowerInvariant(),
                    session.ProviderReason,
                    model.Batching,
                    session.Metadata.ContractVersion,
                    session.Metadata.Epochs,
                },
                SongResponses.Json
            )
            : new JsonResult(new { Status = "unavailable", Reason = model.Error }, SongResponses.Json) { StatusCode = 503 };
    }
}
