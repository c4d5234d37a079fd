namespace CrnnGan.Inference.Music;

/// <summary>
/// Tones that strike the same key at the same time, as instruments of a score double each other (18% of the
/// corpus's note-ons), merged into one: on one instrument, which is what the tone family plays and what a MIDI file
/// of one channel can hold, they are one key. The merged tone lasts as long and sounds as loud as the longest and
/// loudest of them.
/// </summary>
public static class Doublings
{
    /// <summary>The tones in onset order (simultaneous ones by ascending pitch), each key struck once per onset.</summary>
    public static List<Tone> Merge(IEnumerable<Tone> tones)
    {
        var merged = new List<Tone>();
        foreach (var tone in tones.OrderBy(t => t.Onset).ThenBy(t => t.Pitch))
        {
            if (merged.Count > 0 && merged[^1] is var last && last.Onset == tone.Onset && last.Pitch == tone.Pitch)
                merged[^1] = last with { Duration = Math.Max(last.Duration, tone.Duration), Velocity = Math.Max(last.Velocity, tone.Velocity) };
            else
                merged.Add(tone);
        }
        return merged;
    }
}
