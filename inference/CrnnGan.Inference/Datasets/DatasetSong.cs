using System.Text.Json;
using CrnnGan.Inference.Generation;

namespace CrnnGan.Inference.Datasets;

/// <summary>A generated song as a dataset holds it: its file's name and bytes, and its manifest line.</summary>
public sealed record DatasetSong(string File, byte[] Bytes, ManifestEntry Entry)
{
    /// <summary>How manifest lines are written: snake_case names, as the CLI and the app both read them.</summary>
    public static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>MIDI (format "midi") or the song's JSON document ("json"), named by <paramref name="name"/>.</summary>
    public static DatasetSong Of(GeneratedSong song, DatasetSettings settings, Func<GeneratedSong, string, string> name)
    {
        var json = settings.Format == "json";
        var file = name(song, json ? "json" : "mid");
        var bytes = json ? JsonSerializer.SerializeToUtf8Bytes(SongDocument.Of(song, settings.Program), Json) : song.ToMidi(settings.Program);
        var entry = new ManifestEntry(
            file,
            song.Index,
            song.Seed,
            song.Song.Tones.Count,
            song.Song.LengthInSeconds,
            settings,
            SongDocument.StatisticsOf(song.Statistics),
            song.Key?.ToString()
        );
        return new DatasetSong(file, bytes, entry);
    }
}
