using System.Text.Json.Nodes;
using CrnnGan.Functions.Datasets;
using CrnnGan.Functions.Functions;
using CrnnGan.Functions.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace CrnnGan.Functions.Requests;

/// <summary>
/// The app's HTTP API as an OpenAPI 3.0 document (GET /api/openapi.json): the routes the functions' attributes declare
/// (<see cref="HttpRoutes"/>), the fields with the limits this app applies (<see cref="RequestFields"/>), each response
/// and its problem documents. A route without an entry here is an error, so a new function cannot go undescribed.
/// </summary>
public static class ApiDocument
{
    public const string Version = "3.0.3";

    public static JsonObject Write(GenerationOptions generation, DatasetOptions datasets)
    {
        var generate = GenerateRequestParser.Rules.ForGenerate(generation).Fields;
        var dataset = GenerateRequestParser.Rules.ForDatasets(generation, datasets.MaxCount, datasets.BatchSize).Fields;
        var paths = new JsonObject();
        foreach (var route in HttpRoutes.All)
        foreach (var (path, parameters, suffix) in Paths(route.Template))
        {
            var item = paths[path] as JsonObject ?? [];
            paths[path] = item;
            foreach (var method in route.Methods)
            {
                var operation = Operation(route.Name, method, generate, dataset);
                operation["operationId"] = route.Name + suffix + (route.Methods.Count > 1 ? $"-{method}" : "");
                // A route's path parameters come first; only generate's GET has query parameters, and it has no path ones.
                if (parameters.Count > 0)
                    operation["parameters"] = new JsonArray([.. parameters]);
                if (route.Level != AuthorizationLevel.Anonymous)
                    operation["security"] = new JsonArray(
                        new JsonObject { ["functionKey"] = new JsonArray() },
                        new JsonObject { ["functionKeyQuery"] = new JsonArray() }
                    );
                item[method] = operation;
            }
        }
        return new JsonObject
        {
            ["openapi"] = Version,
            ["info"] = new JsonObject
            {
                ["title"] = "C-RNN-GAN music generation",
                ["version"] = typeof(ApiDocument).Assembly.GetName().Version!.ToString(),
                ["description"] =
                    "Songs from the bundled C-RNN-GAN generator as MIDI, zip or JSON, and datasets of up to a million songs made on a "
                    + "Storage queue. Errors are RFC 9457 problem documents that name each wrong field. Routes other than health, the "
                    + "page and this document need the function key on Azure (not checked on localhost).",
            },
            ["servers"] = new JsonArray(new JsonObject { ["url"] = "/" + LocalServer.RoutePrefix }),
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["securitySchemes"] = new JsonObject
                {
                    ["functionKey"] = new JsonObject
                    {
                        ["type"] = "apiKey",
                        ["in"] = "header",
                        ["name"] = "x-functions-key",
                    },
                    ["functionKeyQuery"] = new JsonObject
                    {
                        ["type"] = "apiKey",
                        ["in"] = "query",
                        ["name"] = "code",
                    },
                },
                ["schemas"] = new JsonObject
                {
                    ["GenerateRequest"] = Body(generate),
                    ["DatasetRequest"] = Body(dataset),
                    ["Problem"] = Problem(validation: false),
                    ["ValidationProblem"] = Problem(validation: true),
                },
            },
        };
    }

    /// <summary>OpenAPI has no optional path segment: play/{file?} is two paths, the second's operation id ending in -file.</summary>
    private static IEnumerable<(string Path, List<JsonNode> Parameters, string Suffix)> Paths(string template)
    {
        var plain = template.Replace("{file?}", "", StringComparison.Ordinal);
        var names = plain.Split('/').Where(s => s.StartsWith('{')).Select(s => s.Trim('{', '}'));
        yield return ($"/{plain}", [.. names.Select(PathParameter)], "");
        if (plain != template)
            yield return ($"/{template.Replace("{file?}", "{file}", StringComparison.Ordinal)}", [PathParameter("file")], "-file");
    }

    private static JsonObject PathParameter(string name) =>
        new()
        {
            ["name"] = name,
            ["in"] = "path",
            ["required"] = true,
            ["schema"] = new JsonObject { ["type"] = "string" },
            ["description"] = name == "job" ? "The job's id, as submit answered it (32 hexadecimal digits)." : "A file of the page.",
        };

    private static JsonObject Operation(string function, string method, IReadOnlyList<RequestField> generate, IReadOnlyList<RequestField> dataset) =>
        (function, method) switch
        {
            ("generate", "get") => Generate("Songs from the query's fields (all optional).", new JsonArray([.. generate.Select(QueryParameter)])),
            ("generate", "post") => Generate("Songs from a JSON object's fields (all optional); the same fields as GET.", null),
            ("submit-dataset", _) => new JsonObject
            {
                ["summary"] = "Start a dataset job; the queue makes its songs into Blob Storage in batches.",
                ["requestBody"] = JsonBody("DatasetRequest"),
                ["responses"] = new JsonObject
                {
                    ["202"] = Json(
                        "The job is queued; poll the status at Location.",
                        Object(
                            ("id", "string"),
                            ("name", "string"),
                            ("count", "integer"),
                            ("batches", "integer"),
                            ("seed", "integer"),
                            ("status", "string")
                        ),
                        new JsonObject { ["Location"] = Header("The job's status, /api/datasets/{job}.") }
                    ),
                    ["400"] = ProblemResponse("A field is wrong: each is named with what is wrong.", validation: true),
                    ["503"] = ProblemResponse("No model is loaded, or no storage is configured.", validation: false),
                },
            },
            ("dataset-status", _) => new JsonObject
            {
                ["summary"] = "A dataset job's progress; once complete, read-only links to its manifest and songs.",
                ["responses"] = new JsonObject
                {
                    ["200"] = Json(
                        "state is running, failed or complete; songsWritten counts whole batches.",
                        Object(
                            ("id", "string"),
                            ("name", "string"),
                            ("state", "string"),
                            ("count", "integer"),
                            ("batches", "object"),
                            ("songsWritten", "integer"),
                            ("failed", "array"),
                            ("createdUtc", "string"),
                            ("updatedUtc", "string"),
                            ("completedUtc", "string"),
                            ("manifest", "string"),
                            ("songs", "string"),
                            ("settings", "object")
                        )
                    ),
                    ["404"] = ProblemResponse("There is no job of that id.", validation: false),
                    ["503"] = ProblemResponse("No storage is configured.", validation: false),
                },
            },
            ("model", _) => new JsonObject
            {
                ["summary"] = "What the loaded model says about itself (its metadata), where it runs, and this app's limits.",
                ["responses"] = new JsonObject
                {
                    ["200"] = Json(
                        "The model.",
                        Object(("provider", "string"), ("providerReason", "string"), ("metadata", "object"), ("limits", "object"))
                    ),
                    ["503"] = ProblemResponse("No model is loaded.", validation: false),
                },
            },
            ("health", _) => new JsonObject
            {
                ["summary"] = "Whether this instance can generate.",
                ["responses"] = new JsonObject
                {
                    ["200"] = Json(
                        "Ready: status is ready.",
                        Object(
                            ("status", "string"),
                            ("provider", "string"),
                            ("providerReason", "string"),
                            ("batching", "string"),
                            ("contractVersion", "integer"),
                            ("epochs", "integer")
                        )
                    ),
                    ["503"] = Json("Not ready: status is unavailable, with the reason.", Object(("status", "string"), ("reason", "string"))),
                },
            },
            ("page", _) => new JsonObject
            {
                ["summary"] = "The page that asks for songs, plays them and draws them (play/), and its files.",
                ["responses"] = new JsonObject
                {
                    ["200"] = new JsonObject
                    {
                        ["description"] = "The page or one of its files.",
                        ["content"] = new JsonObject { ["text/html"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string" } } },
                    },
                    ["302"] = new JsonObject { ["description"] = "play without its trailing slash: to play/." },
                    ["404"] = new JsonObject { ["description"] = "The page has no file of that name." },
                },
            },
            ("openapi", _) => new JsonObject
            {
                ["summary"] = "This document.",
                ["responses"] = new JsonObject
                {
                    ["200"] = Json("The OpenAPI document of this app's HTTP API.", new JsonObject { ["type"] = "object" }),
                },
            },
            _ => throw new InvalidOperationException($"The function {function} ({method}) has no entry in the OpenAPI document."),
        };

    private static JsonObject Generate(string summary, JsonArray? query)
    {
        var binary = new JsonObject
        {
            ["schema"] = new JsonObject { ["type"] = "string", ["format"] = "binary" },
        };
        var operation = new JsonObject
        {
            ["summary"] = summary,
            ["description"] =
                "One song comes as a MIDI file, several as a zip (MIDI files and a manifest of the settings used), or as JSON with "
                + "format=json. Larger jobs: POST /api/datasets.",
            ["responses"] = new JsonObject
            {
                ["200"] = new JsonObject
                {
                    ["description"] = "The songs.",
                    ["headers"] = new JsonObject
                    {
                        [SongResponses.SeedHeader] = Header("The seed of the first song (drawn when the request gave none)."),
                    },
                    ["content"] = new JsonObject
                    {
                        ["audio/midi"] = binary,
                        ["application/zip"] = binary.DeepClone(),
                        ["application/json"] = new JsonObject
                        {
                            ["schema"] = Object(
                                ("seed", "integer"),
                                ("seedDrawn", "boolean"),
                                ("steps", "integer"),
                                ("duration", "number"),
                                ("count", "integer"),
                                ("songs", "array")
                            ),
                        },
                    },
                },
                ["400"] = ProblemResponse("A field is wrong: each is named with what is wrong.", validation: true),
                ["503"] = ProblemResponse("No model is loaded.", validation: false),
            },
        };
        if (query is null)
            operation["requestBody"] = JsonBody("GenerateRequest");
        else
            operation["parameters"] = query;
        return operation;
    }

    private static JsonObject Schema(RequestField field)
    {
        var schema = new JsonObject { ["type"] = field.Type, ["description"] = field.Description };
        if (field.Format is { } format)
            schema["format"] = format;
        if (field.Minimum is { } minimum)
            schema["minimum"] = minimum;
        if (field.ExclusiveMinimum)
            schema["exclusiveMinimum"] = true;
        if (field.Maximum is { } maximum)
            schema["maximum"] = maximum;
        if (field.IntegerMaximum is { } integerMaximum)
            schema["maximum"] = integerMaximum;
        if (field.Values is { } values)
            schema["enum"] = new JsonArray([.. values.Select(v => JsonValue.Create(v))]);
        if (field.Pattern is { } pattern)
            schema["pattern"] = pattern;
        if (field.Default is { } defaultValue)
            schema["default"] = JsonNode.Parse(defaultValue);
        return schema;
    }

    private static JsonObject QueryParameter(RequestField field) =>
        new()
        {
            ["name"] = field.Name,
            ["in"] = "query",
            ["required"] = false,
            ["description"] = field.Description,
            ["schema"] = Schema(field),
        };

    private static JsonObject Body(IReadOnlyList<RequestField> fields) =>
        new()
        {
            ["type"] = "object",
            ["additionalProperties"] = false,
            ["properties"] = new JsonObject([.. fields.Select(f => KeyValuePair.Create(f.Name, (JsonNode?)Schema(f)))]),
        };

    private static JsonObject JsonBody(string schema) =>
        new()
        {
            ["required"] = false,
            ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Reference(schema) } },
        };

    private static JsonObject Reference(string schema) => new() { ["$ref"] = $"#/components/schemas/{schema}" };

    private static JsonObject Header(string description) =>
        new()
        {
            ["description"] = description,
            ["schema"] = new JsonObject { ["type"] = "string" },
        };

    private static JsonObject Json(string description, JsonObject schema, JsonObject? headers = null)
    {
        var response = new JsonObject
        {
            ["description"] = description,
            ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = schema } },
        };
        if (headers is not null)
            response["headers"] = headers;
        return response;
    }

    private static JsonObject ProblemResponse(string description, bool validation) =>
        new()
        {
            ["description"] = description,
            ["content"] = new JsonObject
            {
                [Problems.ContentType] = new JsonObject { ["schema"] = Reference(validation ? "ValidationProblem" : "Problem") },
            },
        };

    private static JsonObject Object(params (string Name, string Type)[] properties) =>
        new()
        {
            ["type"] = "object",
            ["properties"] = new JsonObject([.. properties.Select(p => KeyValuePair.Create(p.Name, (JsonNode?)Typed(p.Type)))]),
        };

    private static JsonObject Typed(string type) =>
        type == "array" ? new() { ["type"] = type, ["items"] = new JsonObject() } : new() { ["type"] = type };

    /// <summary>RFC 9457's members, and for a 400 the wrong fields, each with what is wrong.</summary>
    private static JsonObject Problem(bool validation)
    {
        var problem = Object(("type", "string"), ("title", "string"), ("status", "integer"), ("detail", "string"));
        if (validation)
            problem["properties"]!["errors"] = new JsonObject
            {
                ["type"] = "object",
                ["description"] = "Each wrong field, with what is wrong with it.",
                ["additionalProperties"] = new JsonObject
                {
                    ["type"] = "array",
                    ["items"] = new JsonObject { ["type"] = "string" },
                },
            };
        return problem;
    }
}
