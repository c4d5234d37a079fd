using System.Collections.Frozen;
using System.Security.Cryptography;

namespace CrnnGan.Functions.Hosting;

/// <summary>The page's files, embedded in the app's assembly at build time (Page/), read once.</summary>
public static class PageAssets
{
    public const string Index = "index.html";

    /// <summary>
    /// Everything from this origin, nothing from elsewhere: the page needs no CDN, and the downloads are blobs. Scripts may
    /// compile WebAssembly ('wasm-unsafe-eval', not eval): the vendored synthesizer's Vorbis decoder is a WebAssembly module.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".png"] = "image/png",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, Asset> Assets = Load();

    /// <summary>A file of the page, with its entity tag (a hash of its bytes) so that browsers keep it and ask only whether it changed.</summary>
    public sealed record Asset(byte[] Content, string ContentType, string ETag);

    /// <summary>The file of that name, or null: the names are the embedded ones, so no path reaches the disk.</summary>
    public static Asset? Find(string name) => Assets.GetValueOrDefault(name);

    private static FrozenDictionary<string, Asset> Load()
    {
        const string prefix = "Page/";
        var assembly = typeof(PageAssets).Assembly;
        return assembly
            .GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .ToFrozenDictionary(
                n => n[prefix.Length..],
                n =>
                {
                    using var stream = assembly.GetManifestResourceStream(n)!;
                    using var buffer = new MemoryStream();
                    stream.CopyTo(buffer);
                    var content = buffer.ToArray();
                    var tag = $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..32]}\"";
                    return new Asset(content, ContentTypes.GetValueOrDefault(Path.GetExtension(n), "application/octet-stream"), tag);
                },
                StringComparer.Ordinal
            );
    }
}
