using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using CrnnGan.Functions.Requests;
using CrnnGan.Inference.Generation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace CrnnGan.Functions.Functions;

/// <summary>Generated songs as HTTP responses: one MIDI file, a zip of MIDI files with a manifest, or JSON.</summary>
public static class SongResponses
{
    public const string SeedHeader = "X-Crnngan-Seed";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IActionResult Of(HttpResponse response, GenerateParameters parameters, IReadOnlyList<GeneratedSong> songs)
    {
        var request = parameters.Request;
        response.Headers[SeedHeader] = request.Seed.ToString(CultureInfo.InvariantCulture);
        return parameters.Format switch
        {
            SongFormat.Json => new JsonResult(Document(parameters, songs), Json),
            SongFormat.Midi when songs.Count == 1 => new FileContentResult(songs[0].ToMidi(request.Program), "audio/midi")
            {
                FileDownloadName = FileName(songs[0]),
            },
            _ => new FileContentResult(Zip(request, songs), "application/zip") { FileDownloadName = $"crnngan-{request.Seed}.zip" },
        };
    }

    private static string FileName(GeneratedSong song) => $"crnngan-{song.Seed}.mid";

    private static object Document(GenerateParameters parameters, IReadOnlyList<GeneratedSong> songs) =>
        new
        {
            parameters.Request.Seed,
            parameters.SeedDrawn,
            parameters.Request.Steps,
            Duration = parameters.Request.DurationSeconds,
            parameters.Request.Count,
            Songs = songs.Select(s => new
            {
                Song = SongDocument.Of(s, parameters.Request.Program),
                MidiBase64 = Convert.ToBase64String(s.ToMidi(parameters.Request.Program)),
            }),
        };

    /// <summary>The songs' MIDI files and a manifest of the settings used (defaults resolved, as the CLI's manifest records them).</summary>
    private static byte[] Zip(GenerationRequest request, IReadOnlyList<GeneratedSong> songs)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var song in songs)
            {
                using var entry = zip.CreateEntry(FileName(song), CompressionLevel.Fastest).Open();
                entry.Write(song.ToMidi(request.Program));
            }
            var manifest = songs.Select(s => new
            {
                File = FileName(s),
                s.Seed,
                Key = s.Key?.ToString(),
                Notes = s.Song.Tones.Count,
                LengthSeconds = s.Song.LengthInSeconds,
                Statistics = SongDocument.StatisticsOf(s.Statistics),
            });
            using var manifestEntry = zip.CreateEntry("manifest.json", CompressionLevel.Fastest).Open();
            var settings = new
            {
                request.Seed,
                request.Steps,
                Tempo = request.Bpm,
                request.Program,
                request.NoiseScale,
                request.Temperature,
                request.TopP,
                Songs = manifest,
            };
            JsonSerializer.Serialize(manifestEntry, settings, Json);
        }
        return buffer.ToArray();
    }
}
