namespace CrnnGan.Inference.Music;

/// <summary>A named sequence of tones, sorted by onset then pitch, with the tempo map that times it in seconds.</summary>
public sealed record Song(string Name, IReadOnlyList<Tone> Tones, TempoMap Tempo)
{
    /// <summary>Quarter notes from the start to the end of the last sounding tone.</summary>
    public double LengthInQuarters => Tones.Count == 0 ? 0 : Tones.Max(t => t.End);

    /// <summary>How long the song lasts, by its tempo map.</summary>
    public double LengthInSeconds => Tempo.ToSeconds(LengthInQuarters);
}
