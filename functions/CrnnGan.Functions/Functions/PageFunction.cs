using CrnnGan.Functions.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CrnnGan.Functions.Functions;

/// <summary>
/// GET /api/play/: the page that calls /api/generate, plays the song and draws it. Anonymous, so one deploy gives a
/// working page with no CORS set-up; on Azure the page passes its own ?code= on to the API as the function key.
/// </summary>
public static class PageFunction
{
    [Function("page")]
    public static IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "play/{file?}")] HttpRequest request, string? file)
    {
        // Without the trailing slash the page's relative links (page.js, ../generate) would resolve one folder up.
        if (string.IsNullOrEmpty(file) && !request.Path.Value!.EndsWith('/'))
            return new RedirectResult($"{request.PathBase}{request.Path}/{request.QueryString}");
        if (PageAssets.Find(string.IsNullOrEmpty(file) ? PageAssets.Index : file) is not { } asset)
            return new NotFoundResult();
        // Kept by the browser and checked each time: the SoundFont (10 MB) is then fetched once, yet a deploy is seen at once.
        var headers = request.HttpContext.Response.Headers;
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        headers.ContentSecurityPolicy = PageAssets.ContentSecurityPolicy;
        return request.Headers.IfNoneMatch.Contains(asset.ETag)
            ? new StatusCodeResult(StatusCodes.Status304NotModified)
            : new FileContentResult(asset.Content, asset.ContentType);
    }
}
