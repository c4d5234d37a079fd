namespace CrnnGan.Inference.Data;

/// <summary>A file of a corpus that could not be used, with the reason in one line.</summary>
public sealed record UnusableFile(string Path, string Reason);
