using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CrnnGan.Functions.Hosting;

/// <summary>One HTTP function of the app: its name, route template (under /api), methods and key level, as its attributes declare it.</summary>
public sealed record HttpRoute(string Name, string Template, IReadOnlyList<string> Methods, AuthorizationLevel Level, MethodInfo Function)
{
    /// <summary>
    /// Calls the function for a request: its class from the request's services (none for a static function), the request,
    /// the route's values by parameter name and the request's cancellation as its parameters.
    /// </summary>
    public async Task<IActionResult> InvokeAsync(HttpContext context)
    {
        var target = Function.IsStatic ? null : context.RequestServices.GetService(Function.DeclaringType!);
        var arguments = Function
            .GetParameters()
            .Select(p =>
                p.ParameterType == typeof(HttpRequest) ? context.Request
                : p.ParameterType == typeof(CancellationToken) ? context.RequestAborted
                : context.Request.RouteValues[p.Name!]
            )
            .ToArray();
        return Function.Invoke(target, arguments) switch
        {
            Task<IActionResult> pending => await pending,
            IActionResult result => result,
            var other => throw new InvalidOperationException($"The function {Name} returned {other?.GetType().Name ?? "null"}, not a result."),
        };
    }
}

/// <summary>
/// The app's HTTP routes, read from the functions' own <see cref="FunctionAttribute"/> and <see cref="HttpTriggerAttribute"/>:
/// the one place routes are declared. The Functions host reads the same attributes (through the build's functions.metadata),
/// and <see cref="LocalServer"/> serves what this reads.
/// </summary>
public static class HttpRoutes
{
    public static IReadOnlyList<HttpRoute> All { get; } =
    [
        .. typeof(HttpRoutes)
            .Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Select(method => (method, function: method.GetCustomAttribute<FunctionAttribute>()))
            .Select(f =>
                (
                    f.method,
                    f.function,
                    trigger: f.method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(t => t is not null)
                )
            )
            .Where(f => f.function is not null && f.trigger is not null)
            .Select(f => new HttpRoute(f.function!.Name, f.trigger!.Route!, [.. f.trigger.Methods!], f.trigger.AuthLevel, f.method))
            .OrderBy(r => r.Name, StringComparer.Ordinal),
    ];
}
