using CrnnGan.Inference.Statistics;

namespace CrnnGan.Inference.Generation;

/// <summary>A note for JSON consumers: musical time (quarter notes) and clock time (seconds) side by side.</summary>
public sealed record NoteDocument(
    double OnsetQuarters,
    double DurationQuarters,
    double OnsetSeconds,
    double DurationSeconds,
    int Pitch,
    int Velocity
);

/// <summary>A generated song as JSON consumers see it: its seed, key (tone models), tempo, notes and the paper's statistics.</summary>
public sealed record SongDocument(
    int Index,
    ulong Seed,
    string? Key,
    double Bpm,
    int Program,
    double LengthSeconds,
    IReadOnlyList<NoteDocument> Notes,
    IReadOnlyDictionary<string, double> Statistics
)
{
    /// <summary>The song, its notes written for General MIDI program <paramref name="program"/>, and its statistics.</summary>
    public static SongDocument Of(GeneratedSong generated, int program)
    {
        var song = generated.Song;
        var tempo = song.Tempo;
        return new SongDocument(
            generated.Index,
            generated.Seed,
            generated.Key?.ToString(),
            tempo.Changes[0].Bpm,
            program,
            song.LengthInSeconds,
            [
                .. song.Tones.Select(t => new NoteDocument(
                    t.Onset,
                    t.Duration,
                    tempo.ToSeconds(t.Onset),
                    tempo.ToSeconds(t.End) - tempo.ToSeconds(t.Onset),
                    t.Pitch,
                    t.Velocity
                )),
            ],
            StatisticsOf(generated.Statistics)
        );
    }

    /// <summary>The paper's statistics by name, as the JSON format shows them.</summary>
    public static IReadOnlyDictionary<string, double> StatisticsOf(ToneStatistics statistics) =>
        statistics.Named().ToDictionary(s => s.Key, s => s.Value);
}
