namespace CrnnGan.Inference.Generation;

/// <summary>
/// The contract between training and serving: an exported generator is one step of C-RNN-GAN with explicit
/// state, so that the loop (and any length) lives in the host. Its versions:
/// <para>
/// Version 1, the paper's continuous model. All step values are in model units, the normalised features the
/// networks train on; <see cref="Encodings.ContinuousEncoding.FeatureScale"/> turns them into musical units (musical = model ÷ scale).
/// <code>
/// inputs:  noise [batch, noise_size], previous [batch, features], h [layers, batch, hidden], c [layers, batch, hidden]
/// outputs: output [batch, features], h_out [layers, batch, hidden], c_out [layers, batch, hidden]
/// </code>
/// At the first step, previous is itself uniform noise on [0, 1) and h and c are zero; then each step's
/// output, h_out and c_out are the next step's previous, h and c.
/// </para>
/// <para>
/// Version 2, the tone family: one tone per step, as a class index per head (pitch, time_delta, length, velocity;
/// <see cref="Encodings.ToneEncoding.Vocabulary"/> holds the bins).
/// <code>
/// inputs:  noise [batch, noise_size], previous_tone [batch, heads] int64, h, c
/// outputs: pitch_logits [batch, 128], time_delta_logits [batch, time bins], length_logits, velocity_logits, h_out, c_out
/// </code>
/// At the first step, previous_tone is the start tone (each head's index equal to its size) and h and c are zero;
/// the host draws each head's class from softmax(logits / temperature) and feeds the drawn tone back.
/// </para>
/// <para>
/// Version 3, the tone family with a length head that reads the tone's drawn time: as version 2, but length_logits
/// is [batch, time bins, length bins], the length head's logits given each time class. The host draws the time
/// first, then the length from the row of the time it drew.
/// </para>
/// <para>
/// Version 4, the tone family that knows where the beat is: as version 3, but previous_tone is [batch, heads + 1], its
/// last column where the tone before started in its 4-quarter bar, in 1/48-quarter steps (0 for the start tone); the
/// host adds each drawn time class's steps to it, modulo the bar.
/// </para>
/// <para>
/// Version 5, the tone family with memory: as version 4, but previous_tone [batch, heads + 1 + 3 × lookback bars] also
/// carries, for each of the last bars, what came next that many bars earlier and whether the tone before repeats what
/// sounded then (<see cref="Encodings.ToneFeedback"/> says how; the host builds it from the song's tones).
/// </para>
/// <para>
/// Version 6, the tone family that knows how its song keeps time: as version 4 (or 5), but previous_tone has one more
/// column, last, the same at every step of a song: its <see cref="Music.SongTiming"/> (0 metered, 1 free), which the host
/// draws from the song's seed with the model's metered_share, the share of its training songs that were metered.
/// </para>
/// <para>
/// Version 7, the tone family whose pitch reads the drawn time: as version 3 to 6 (which of their inputs it reads, the
/// metadata names: bar_position, lookback_bars, metered_share), but pitch_logits is [batch, time bins, 128], the pitch
/// head's logits given each time class, as the length's are. The host draws the time first, then pitch and length from
/// the rows of the time it drew. In the row of the time 0, where a tone joins the chord of the tone before, the pitches at
/// or below that tone's are −∞: the encoding writes a chord's keys ascending, each once (after the top key, 127, none is).
/// </para>
/// <para>
/// Version 8, version 7 whose step draws the time itself, so that it computes pitch and length for the time drawn alone:
/// <code>
/// inputs:  as version 7, and time_draw [batch, 3] (the song's uniform number in [0, 1), its time temperature, 0 for the
///          likeliest, and its nucleus top-p in (0, 1]), closed_time [batch, 1] int64 (a time class not to draw; −1: none),
///          time_bias [batch, time bins] (added to the time logits before the draw: the model's calibrated bias, or 0)
/// outputs: time_delta_logits [batch, time bins] as before, time_drawn [batch, 1] int64, pitch_logits [batch, 128] and
///          length_logits [batch, length bins] of the time drawn (the pitch in the chord's order), velocity_logits, h_out, c_out
/// </code>
/// The step draws the time as the host draws a class (<see cref="ToneSampler.Draw"/>: inverse CDF at the uniform number over
/// softmax(logits / temperature) cut to the nucleus), in single precision; the host draws pitch, length and velocity.
/// </para>
/// <para>
/// Version 9, version 8 whose noise is the song's: the same graph, but the host draws each song's noise once, from its seed,
/// and feeds it at every step of the song, so that the noise can say what kind of song it is (one with repeated notes, one
/// without) where noise drawn afresh at every step averages out (<see cref="Randomness.SongNoise"/>).
/// </para>
/// </summary>
public static class ModelContract
{
    /// <summary>The paper's continuous steps.</summary>
    public const int Version = 1;

    /// <summary>The tone family's categorical heads.</summary>
    public const int ToneVersion = 2;

    /// <summary>The tone family with a length head that reads the tone's drawn time.</summary>
    public const int TimedLengthVersion = 3;

    /// <summary>The tone family whose previous tone carries where it started in its bar.</summary>
    public const int BarPositionVersion = 4;

    /// <summary>The tone family whose previous tone carries a lookback of the last bars.</summary>
    public const int LookbackVersion = 5;

    /// <summary>The tone family whose previous tone carries its song's timing.</summary>
    public const int TimingVersion = 6;

    /// <summary>The tone family whose pitch head reads the drawn time, in the chord's order.</summary>
    public const int PitchGivenTimeVersion = 7;

    /// <summary>The tone family whose step draws the time, and computes pitch and length for the time drawn alone.</summary>
    public const int TimeInStepVersion = 8;

    /// <summary>The tone family of version 8 whose noise is drawn once a song and fed at every step of it.</summary>
    public const int SongNoiseVersion = 9;

    /// <summary>Input of version 8: each song's uniform number, time temperature and nucleus for the time's draw.</summary>
    public const string TimeDraw = "time_draw";

    /// <summary>Input of version 8: each song's time class that is not to be drawn (−1: none).</summary>
    public const string ClosedTime = "closed_time";

    /// <summary>Input of version 8: each song's bias of the time logits, added before the draw.</summary>
    public const string TimeBias = "time_bias";

    /// <summary>Output of version 8: each song's time class drawn.</summary>
    public const string TimeDrawn = "time_drawn";

    /// <summary>Input of the tone family: the previous tone's class indices (and its place in the bar, from version 4).</summary>
    public const string PreviousTone = "previous_tone";

    /// <summary>The output of a head's logits.</summary>
    public static string Logits(string head) => head + "_logits";

    /// <summary>Input: each song's noise for this step (from version 9, the same at every step of a song).</summary>
    public const string Noise = "noise";

    /// <summary>Input of the paper's model: the previous step's features.</summary>
    public const string Previous = "previous";

    /// <summary>Input: the LSTM layers' hidden state.</summary>
    public const string Hidden = "h";

    /// <summary>Input: the LSTM layers' cell state.</summary>
    public const string Cell = "c";

    /// <summary>Output of the paper's model: this step's features.</summary>
    public const string Output = "output";

    /// <summary>Output: the hidden state after this step.</summary>
    public const string HiddenOut = "h_out";

    /// <summary>Output: the cell state after this step.</summary>
    public const string CellOut = "c_out";

    /// <summary>The symbolic batch dimension of every input and output.</summary>
    public const string Batch = "batch";
}
