namespace CrnnGan.Inference.Generation.Encodings;

/// <summary>
/// The <see cref="ToneFeedback"/> of a batch of songs, their rows side by side as a step reads them: [songs, previous_tone's
/// columns], each song's the start tone's until a tone of it is added. For loops that step a whole batch at once (export
/// parity, int8 parity, the game's free run); the host's rows each keep their own, as they join and leave a batch.
/// </summary>
public sealed class FeedbackBatch
{
    private readonly ToneFeedback[] _songs;

    /// <summary>
    /// The feedback of <paramref name="songs"/> new songs of a model that <paramref name="encoding"/> describes, each of its
    /// timing in <paramref name="timings"/> (all metered when null).
    /// </summary>
    public FeedbackBatch(ToneEncoding encoding, int songs, IReadOnlyList<SongTiming>? timings = null)
    {
        _songs = [.. Enumerable.Range(0, songs).Select(i => encoding.Feedback(timings?[i] ?? SongTiming.Metered))];
        Columns = encoding.PreviousWidth;
        Rows = [.. _songs.SelectMany(song => song.Previous)];
    }

    /// <summary>The timings of <paramref name="songs"/> songs that alternate metered and free, so that a check compares both.</summary>
    public static SongTiming[] Alternating(int songs) => [.. Enumerable.Range(0, songs).Select(i => (SongTiming)(i % 2))];

    /// <summary>previous_tone's columns, <see cref="ToneEncoding.PreviousWidth"/>.</summary>
    public int Columns { get; }

    /// <summary>Every song's row, [songs × <see cref="Columns"/>].</summary>
    public long[] Rows { get; }

    /// <summary>Moves song <paramref name="song"/> on by one tone (its class indices), which its row then reads as the tone before.</summary>
    public void Add(int song, ReadOnlySpan<int> tone)
    {
        _songs[song].Add(tone);
        _songs[song].Previous.CopyTo(Rows.AsSpan(song * Columns, Columns));
    }
}
