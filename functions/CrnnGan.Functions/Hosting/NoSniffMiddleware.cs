using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace CrnnGan.Functions.Hosting;

/// <summary>
/// Every response of the app says what it is and nothing else: browsers must not sniff content types. Set here,
/// for every function, before the function runs (the local server sets it in its own pipeline with the same call).
/// </summary>
public sealed class NoSniffMiddleware : IFunctionsWorkerMiddleware
{
    public static void Apply(Microsoft.AspNetCore.Http.HttpResponse response) => response.Headers.XContentTypeOptions = "nosniff";

    public Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (context.GetHttpContext() is { } http)
            Apply(http.Response);
        return next(context);
    }
}
