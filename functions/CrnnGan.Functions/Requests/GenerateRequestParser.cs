using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using CrnnGan.Functions.Hosting;
using CrnnGan.Inference.Generation;
using CrnnGan.Inference.Music;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace CrnnGan.Functions.Requests;

/// <summary>
/// Reads the generate endpoint's parameters from the query (GET) or a JSON object (POST) and checks them all:
/// unknown fields, wrong types, values out of range and the app's limits each give a 400 naming the field.
/// Nothing a caller sends reaches a file path.
/// </summary>
public static class GenerateRequestParser
{
    /// <summary>
    /// What one endpoint takes: its fields (<see cref="RequestFields"/>), count limit and formats, what to say of larger jobs,
    /// and its batch size (null: the request's songs in one batch).
    /// </summary>
    public sealed record Rules(
        IReadOnlyList<RequestField> Fields,
        int MaxCount,
        IReadOnlyList<SongFormat> Formats,
        string LargerJobs,
        bool Datasets,
        int? BatchSize = null
    )
    {
        public static Rules ForGenerate(GenerationOptions options)
        {
            SongFormat[] formats = [SongFormat.Midi, SongFormat.Json, SongFormat.Zip];
            return new(
                RequestFields.For(options, options.MaxCount, formats, named: false),
                options.MaxCount,
                formats,
                "use POST /api/datasets",
                false
            );
        }

        public static Rules ForDatasets(GenerationOptions options, int maxCount, int batchSize)
        {
            SongFormat[] formats = [SongFormat.Midi, SongFormat.Json];
            return new(
                RequestFields.For(options, maxCount, formats, named: true),
                maxCount,
                formats,
                "split the dataset into several jobs",
                true,
                batchSize
            );
        }

        public IEnumerable<string> Names => Fields.Select(f => f.Name);
    }

    public static Task<(GenerateParameters? Parameters, ObjectResult? Problem)> ParseAsync(
        HttpRequest request,
        GenerationOptions options,
        ModelMetadata model
    ) => ParseAsync(request, options, model, Rules.ForGenerate(options));

    public static async Task<(GenerateParameters? Parameters, ObjectResult? Problem)> ParseAsync(
        HttpRequest request,
        GenerationOptions options,
        ModelMetadata model,
        Rules rules
    )
    {
        Dictionary<string, JsonElement> values;
        if (HttpMethods.IsPost(request.Method))
        {
            var (body, problem) = await ReadBodyAsync(request, options.MaxBodyBytes);
            if (problem is not null)
                return (null, problem);
            values = body!;
        }
        else
        {
            var repeated = request.Query.FirstOrDefault(q => q.Value.Count > 1);
            if (repeated.Key is not null)
                return (null, Problems.BadRequest(repeated.Key, $"'{repeated.Key}' is given {repeated.Value.Count} times; give it once."));
            values = request.Query.ToDictionary(q => q.Key, q => JsonSerializer.SerializeToElement(q.Value.ToString()));
        }
        return Validate(values, options, model, rules, fromQuery: !HttpMethods.IsPost(request.Method));
    }

    private static async Task<(Dictionary<string, JsonElement>?, ObjectResult?)> ReadBodyAsync(HttpRequest request, int limit)
    {
        if (request.ContentLength > limit)
            return (
                null,
                Problems.BadRequest(
                    "body",
                    $"The body is {request.ContentLength} bytes, over the limit of {limit}: a generate request needs a small JSON object."
                )
            );
        var buffer = new byte[limit + 1];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await request.Body.ReadAsync(buffer.AsMemory(read))) > 0)
            read += n;
        if (read > limit)
            return (null, Problems.BadRequest("body", $"The body is over the limit of {limit} bytes: a generate request needs a small JSON object."));
        if (read == 0)
            return ([], null);
        try
        {
            using var document = JsonDocument.Parse(buffer.AsMemory(0, read));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return (
                    null,
                    Problems.BadRequest(
                        "body",
                        $"The body must be a JSON object, not {document.RootElement.ValueKind.ToString().ToLowerInvariant()}."
                    )
                );
            var values = new Dictionary<string, JsonElement>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!values.TryAdd(property.Name, property.Value.Clone()))
                    return (null, Problems.BadRequest(property.Name, $"'{property.Name}' is given twice; give it once."));
            }
            return (values, null);
        }
        catch (JsonException e)
        {
            return (null, Problems.BadRequest("body", $"The body is not valid JSON: {e.Message}"));
        }
    }

    private static (GenerateParameters?, ObjectResult?) Validate(
        Dictionary<string, JsonElement> values,
        GenerationOptions options,
        ModelMetadata model,
        Rules rules,
        bool fromQuery
    )
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var unknown in values.Keys.Where(k => !rules.Names.Contains(k, StringComparer.Ordinal)))
            errors[unknown] = [$"Unknown field '{unknown}'. Known fields: {string.Join(", ", rules.Names)}."];

        T? Read<T>(string field, Func<JsonElement, T?> number, Func<string, T?> text, string kind)
            where T : struct
        {
            if (!values.TryGetValue(field, out var element))
                return null;
            var value =
                fromQuery ? text(element.GetString()!)
                : element.ValueKind == JsonValueKind.Number ? number(element)
                : null;
            if (value is null)
                errors[field] = [$"'{field}' must be {kind}."];
            return value;
        }

        int? Int(string field) =>
            Read<int>(
                field,
                e => e.TryGetInt32(out var v) ? v : null,
                s => int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null,
                "a whole number"
            );
        double? Double(string field, string kind) =>
            Read<double>(
                field,
                e => e.TryGetDouble(out var v) ? v : null,
                s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null,
                kind
            );
        float? Single(string field) =>
            Read<float>(
                field,
                e => e.TryGetSingle(out var v) ? v : null,
                s => float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null,
                "a number"
            );

        var seed = Read<ulong>(
            "seed",
            e => e.TryGetUInt64(out var v) ? v : null,
            s => ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null,
            "a whole number from 0 to 18446744073709551615"
        );
        var (steps, count, program) = (Int("steps"), Int("count"), Int("program"));
        var duration = Double("duration", "a number of seconds");
        var tempo = Double("tempo", "a number of beats per minute");
        var (noiseScale, temperature, topP) = (Single("noiseScale"), Single("temperature"), Single("topP"));
        MusicalKey? key = null;
        if (values.TryGetValue("key", out var keyElement))
        {
            var text = keyElement.ValueKind == JsonValueKind.String ? keyElement.GetString() : null;
            if (text is not null && MusicalKey.TryParse(text, out var parsed))
                key = parsed;
            else if (text is not "random")
                errors["key"] = ["'key' must be a key such as C, F#m or Bb, or random."];
        }
        SongTiming? timing = null;
        if (values.TryGetValue("timing", out var timingElement))
        {
            var text = timingElement.ValueKind == JsonValueKind.String ? timingElement.GetString() : null;
            if (!SongTimingNames.TryParse(text, out timing))
                errors["timing"] = ["'timing' must be metered, free or random."];
        }
        SongFormat? format = null;
        if (values.TryGetValue("format", out var formatElement))
        {
            var text = formatElement.ValueKind == JsonValueKind.String ? formatElement.GetString() : null;
            var names = rules.Formats.Select(f => f.ToString().ToLowerInvariant()).ToList();
            format = text is not null && names.Contains(text) ? Enum.Parse<SongFormat>(text, ignoreCase: true) : null;
            if (format is null)
                errors["format"] = [$"'format' must be one of {string.Join(", ", names)}."];
        }
        string? name = null;
        if (values.TryGetValue("name", out var nameElement))
        {
            name = nameElement.ValueKind == JsonValueKind.String ? nameElement.GetString() : null;
            if (name is not { Length: >= 1 and <= 100 } || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is ' ' or '-' or '_' or '.'))
                errors["name"] = ["'name' must be 1 to 100 letters, digits, spaces, '-', '_' or '.'."];
        }

        var batchHint = $"For larger jobs {rules.LargerJobs}, or use batch generation (crnngan generate).";
        if (steps is { } s && s > options.MaxSteps)
            errors["steps"] = [$"'steps' is {s}, over this service's limit of {options.MaxSteps}. {batchHint}"];
        if (duration is { } d && d > options.MaxDurationSeconds)
            errors["duration"] = [$"'duration' is {d} s, over this service's limit of {options.MaxDurationSeconds} s. {batchHint}"];
        if (steps is not null && duration is not null)
        {
            const string message = "Give 'steps' or 'duration' (seconds), not both: each sets the songs' length.";
            foreach (var field in new[] { "steps", "duration" })
                errors[field] = [.. errors.GetValueOrDefault(field) ?? [], message];
        }
        if (count is { } c && c > rules.MaxCount)
            errors["count"] = [$"'count' is {c}, over this service's limit of {rules.MaxCount}. {batchHint}"];
        if (!rules.Datasets && format == SongFormat.Midi && count is > 1)
        {
            // An explicit midi is one file; without a format, several songs come as a zip.
            var message = $"'format' midi is one song, but 'count' asks for {count}: ask for format zip (MIDI files) or json, or for count 1.";
            foreach (var field in new[] { "format", "count" })
                errors[field] = [.. errors.GetValueOrDefault(field) ?? [], message];
        }

        var request = new GenerationRequest
        {
            Count = count ?? 1,
            Steps = steps ?? options.DefaultSteps,
            DurationSeconds = duration,
            Seed = seed ?? BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)),
            Bpm = tempo,
            Program = program ?? 0,
            NoiseScale = noiseScale ?? 1f,
            Temperature = temperature,
            TopP = topP,
            Key = key,
            Timing = timing,
            BatchSize = rules.BatchSize ?? Math.Max(1, count ?? 1),
        };
        GenerationRequest? resolved = null;
        if (errors.Count == 0)
        {
            (resolved, var problems) = request.TryResolve(model);
            foreach (var problem in problems)
                errors[problem.Field] = [problem.Message];
        }
        if (errors.Count > 0)
            return (null, Problems.BadRequest(errors, string.Join(" ", errors.Values.SelectMany(m => m))));
        var songFormat = format ?? (count is > 1 && !rules.Datasets ? SongFormat.Zip : SongFormat.Midi);
        return (new GenerateParameters(resolved!, songFormat, SeedDrawn: seed is null, name), null);
    }
}
