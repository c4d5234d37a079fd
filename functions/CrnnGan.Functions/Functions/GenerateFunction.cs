using CrnnGan.Functions.Hosting;
using CrnnGan.Functions.Requests;
using CrnnGan.Inference.Generation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CrnnGan.Functions.Functions;

/// <summary>GET or POST /api/generate: songs from the instance's model, as MIDI, a zip or JSON.</summary>
public sealed class GenerateFunction(ModelHost model)
{
    [Function("generate")]
    public async Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Function, "get", "post", Route = "generate")] HttpRequest request)
    {
        if (model.Session is not { } session)
            return Problems.Unavailable(model.Error ?? "The model is not loaded.");
        var (parameters, problem) = await GenerateRequestParser.ParseAsync(request, model.Options, session.Metadata);
        if (problem is not null)
            return problem;
        var songs = await model.Generator.GenerateAsync(parameters!.Request, request.HttpContext.RequestAborted);
        return SongResponses.Of(request.HttpContext.Response, parameters!, songs);
    }
}
