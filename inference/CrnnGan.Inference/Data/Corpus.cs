namespace CrnnGan.Inference.Data;

/// <summary>
/// The songs of a folder of MIDI files, split for training. Song names are paths relative to
/// <see cref="Root"/> with forward slashes. <see cref="MissingFromFolder"/> lists hold-out entries that name
/// no file of the folder.
/// </summary>
public sealed record Corpus(
    string Root,
    IReadOnlyList<Song> Training,
    IReadOnlyList<Song> Validation,
    IReadOnlyList<Song> Test,
    IReadOnlyList<UnusableFile> Unusable,
    IReadOnlyList<string> MissingFromFolder,
    int FilesFound
)
{
    /// <summary>Every song of the three splits: training, then validation, then test.</summary>
    public IEnumerable<Song> AllSongs => Training.Concat(Validation).Concat(Test);

    /// <summary>How many songs the three splits hold together.</summary>
    public int SongCount => Training.Count + Validation.Count + Test.Count;
}
