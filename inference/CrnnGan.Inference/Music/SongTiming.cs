namespace CrnnGan.Inference.Music;

/// <summary>
/// How a song keeps time, as its file was made. A corpus of MIDI files mixes the two: scores written on a grid, and
/// performances or scores whose onsets fall anywhere (played in, or with tempo shifts written into the ticks).
/// </summary>
public enum SongTiming
{
    /// <summary>At least half its onsets on the sixteenth grid of the quarter note, counted from the song's start.</summary>
    Metered = 0,

    /// <summary>Most of its onsets off the sixteenth grid.</summary>
    Free = 1,
}
