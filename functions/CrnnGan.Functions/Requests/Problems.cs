using Microsoft.AspNetCore.Mvc;

namespace CrnnGan.Functions.Requests;

/// <summary>RFC 9457 problem documents (application/problem+json) for the endpoints' errors.</summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    /// <summary>400 naming each field that is wrong and why.</summary>
    public static ObjectResult BadRequest(IReadOnlyDictionary<string, string[]> errors, string detail) =>
        Result(
            new ValidationProblemDetails(errors.ToDictionary())
            {
                Status = 400,
                Title = "The request is not valid.",
                Detail = detail,
                Type = "https://datatracker.ietf.org/doc/html/rfc9110#section-15.5.1",
            }
        );

    public static ObjectResult BadRequest(string field, string message) =>
        BadRequest(new Dictionary<string, string[]> { [field] = [message] }, message);

    /// <summary>404: nothing by that name.</summary>
    public static ObjectResult NotFound(string detail) =>
        Result(
            new ProblemDetails
            {
                Status = 404,
                Title = "Not found.",
                Detail = detail,
                Type = "https://datatracker.ietf.org/doc/html/rfc9110#section-15.5.5",
            }
        );

    /// <summary>503: the instance has no model to generate with.</summary>
    public static ObjectResult Unavailable(string detail) =>
        Result(
            new ProblemDetails
            {
                Status = 503,
                Title = "The model is not loaded.",
                Detail = detail,
                Type = "https://datatracker.ietf.org/doc/html/rfc9110#section-15.6.4",
            }
        );

    private static ObjectResult Result(ProblemDetails problem) => new(problem) { StatusCode = problem.Status, ContentTypes = { ContentType } };
}
