namespace CrnnGan.Inference.Music;

/// <summary>
/// A key struck again while it still sounds is released at the new strike, as a pianist's key is. A MIDI channel holds
/// one sounding note per key, and readers differ on which note-off ends which of two overlapping ones (ours and most
/// others end the first at the second note-on, then let the first's note-off cut the second short), so a generated song
/// must not overlap a key with itself if its file is to hold the song that was generated. A key struck again less than
/// <see cref="Apart"/> after its strike is one strike, as a doubling is (<see cref="Doublings"/>): the corpus's
/// instruments double each other a step apart as well as together, and on one instrument that is one key, not a note cut
/// to a step and struck again.
/// </summary>
public static class Restrikes
{
    /// <summary>The least time, in quarter notes, between two strikes of one key that are two strikes (under a 32nd note).</summary>
    public const double Apart = 1.0 / 32;

    /// <summary>
    /// The tones in onset order (simultaneous ones by ascending pitch), doublings merged (<see cref="Doublings"/>), a key
    /// struck again within <see cref="Apart"/> merged into its strike, each ended no later than its key's next strike.
    /// </summary>
    public static List<Tone> Release(IEnumerable<Tone> tones)
    {
        var released = new List<Tone>();
        var sounding = new Dictionary<(int Channel, int Pitch), int>();
        foreach (var tone in Doublings.Merge(tones))
        {
            var key = (tone.Channel, tone.Pitch);
            if (sounding.TryGetValue(key, out var previous))
            {
                var struck = released[previous];
                if (tone.Onset - struck.Onset < Apart)
                {
                    var end = Math.Max(struck.End, tone.End);
                    released[previous] = struck with { Duration = end - struck.Onset, Velocity = Math.Max(struck.Velocity, tone.Velocity) };
                    continue;
                }
                if (struck.End > tone.Onset)
                    released[previous] = struck with { Duration = tone.Onset - struck.Onset };
            }
            sounding[key] = released.Count;
            released.Add(tone);
        }
        return released;
    }
}
