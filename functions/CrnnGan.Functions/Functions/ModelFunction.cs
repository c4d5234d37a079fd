using CrnnGan.Functions.Hosting;
using CrnnGan.Functions.Requests;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CrnnGan.Functions.Functions;

/// <summary>GET /api/model: what the loaded model says about itself, and where it runs.</summary>
public sealed class ModelFunction(ModelHost model)
{
    [Function("model")]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Function, "get", Route = "model")] HttpRequest request)
    {
        if (model.Session is not { } session)
            return Problems.Unavailable(model.Error ?? "The model is not loaded.");
        return new JsonResult(
            new
            {
                Provider = session.Provider.ToString().ToLowerInvariant(),
                session.ProviderReason,
                session.Metadata,
                Limits = new
                {
                    model.Options.MaxSteps,
                    model.Options.MaxCount,
                    model.Options.DefaultSteps,
                },
            },
            SongResponses.Json
        );
    }
}
