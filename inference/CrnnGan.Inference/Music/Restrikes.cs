namespace CrnnGan.Inference.Music;

/// <summary>
/// A key struck again while it still sounds is released at the new strike, as a pianist's key is. A MIDI channel holds
/// one sounding note per key, and readers differ on which note-off ends which of two overlapping ones (ours and most
/// others end the first at the second note-on, then let the first's note-off cut the second short), so a generated song
/// must not overlap a key with itself if its file is to hold the song that was generated.
/// </summary>
public static class Restrikes
{
    /// <summary>
    /// The tones in onset order (simultaneous ones by ascending pitch), doublings merged (<see cref="Doublings"/>), each
    /// ended no later than its key's next strike.
    /// </summary>
    public static List<Tone> Release(IEnumerable<Tone> tones)
    {
        var ordered = Doublings.Merge(tones);
        var sounding = new Dictionary<(int Channel, int Pitch), int>();
        for (var i = 0; i < ordered.Count; i++)
        {
            var key = (ordered[i].Channel, ordered[i].Pitch);
            if (sounding.TryGetValue(key, out var previous) && ordered[previous].End > ordered[i].Onset)
                ordered[previous] = ordered[previous] with { Duration = ordered[i].Onset - ordered[previous].Onset };
            sounding[key] = i;
        }
        return ordered;
    }
}
