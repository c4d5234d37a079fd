using System.Collections.Frozen;

namespace CrnnGan.Functions.Hosting;

/// <summary>The page's files, embedded in the app's assembly at build time (Page/), read once.</summary>
public static class PageAssets
{
    public const string Index = "index.html";

    /// <summary>Everything from this origin, nothing from elsewhere: the page needs no CDN, and the MIDI download is a blob.</summary>
    public const string ContentSecurityPolicy = "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".png"] = "image/png",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, Asset> Assets = Load();

    public sealed record Asset(byte[] Content, string ContentType);

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
                    return new Asset(buffer.ToArray(), ContentTypes.GetValueOrDefault(Path.GetExtension(n), "application/octet-stream"));
                },
                StringComparer.Ordinal
            );
    }
}
