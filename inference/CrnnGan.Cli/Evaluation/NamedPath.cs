namespace CrnnGan.Cli.Evaluation;

/// <summary>An option value "name=path" (or a bare path, named after its file), such as a model or a training log to compare.</summary>
public sealed record NamedPath(string Name, string Path)
{
    public static NamedPath Parse(string text)
    {
        var split = text.IndexOf('=', StringComparison.Ordinal);
        var (name, path) = split > 0 ? (text[..split].Trim(), text[(split + 1)..].Trim()) : (System.IO.Path.GetFileNameWithoutExtension(text), text);
        if (path.Length == 0)
            throw new ArgumentException($"'{text}' names no file: write name=path, e.g. \"tone GAN=models/crnngan.onnx\".");
        if (!File.Exists(path))
            throw new FileNotFoundException($"There is no file at {path} (from '{text}').", path);
        return new NamedPath(name, System.IO.Path.GetFullPath(path));
    }
}
