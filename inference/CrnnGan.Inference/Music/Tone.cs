namespace CrnnGan.Inference.Music;

/// <summary>
/// One note as C-RNN-GAN sees it. <see cref="Onset"/> and <see cref="Duration"/> are in quarter notes
/// (MIDI ticks divided by the file's ticks per quarter note; tempo does not enter), <see cref="Pitch"/> is
/// the MIDI note number (60 = middle C) and <see cref="Velocity"/> the MIDI velocity. Channel (1..16) and
/// General MIDI program (0..127) are carried only so that a song can be written back as it was.
/// </summary>
public readonly record struct Tone(double Onset, double Duration, int Pitch, int Velocity, int Channel = 1, int Program = 0)
{
    /// <summary>When the tone ends, in quarter notes from the song's start.</summary>
    public double End => Onset + Duration;
}
