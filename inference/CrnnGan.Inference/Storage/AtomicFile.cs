namespace CrnnGan.Inference.Storage;

/// <summary>
/// Replaces a file so that a reader, or a process killed halfway, finds the old file or the whole new one and
/// never a part: the contents go to a temporary file beside it, unique to this writer, which is then renamed
/// into place. A write that fails leaves the old file as it was and no temporary file behind.
/// </summary>
public static class AtomicFile
{
    /// <summary>Calls <paramref name="writeTemporary"/> with the temporary path to fill, then renames it to <paramref name="path"/>.</summary>
    public static void Write(string path, Action<string> writeTemporary)
    {
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            writeTemporary(temporary);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
                File.Delete(temporary);
        }
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> whole: a reader sees the old file or the new one.</summary>
    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, temporary => File.WriteAllBytes(temporary, bytes));

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> whole: a reader sees the old file or the new one.</summary>
    public static void WriteAllText(string path, string text) => Write(path, temporary => File.WriteAllText(temporary, text));

    /// <summary>Copies <paramref name="source"/> to <paramref name="path"/> whole: a reader sees the old file or the new one.</summary>
    public static void Copy(string source, string path) => Write(path, temporary => File.Copy(source, temporary));
}
