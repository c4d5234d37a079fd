using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CrnnGan.Training.Model;

/// <summary>
/// The tone family's generator: C-RNN-GAN's shape with categorical outputs. Each step is one tone, four class
/// indices (pitch, time since the previous onset, length, velocity; see <see cref="CrnnGan.Inference.Features.ToneVocabulary"/>).
/// At every step it reads a uniform random vector z_t and the tone before, embedded head by head:
/// <code>
/// x_t = ReLU(W_in · [z_t, E_pitch[p_{t−1}], E_time[d_{t−1}], E_length[l_{t−1}], E_velocity[v_{t−1}]] + P[b_{t−1}])
/// h_t = LSTM_L(… LSTM_1(x_t))                      dropout after each layer while training
/// logits_k = W_k · h_t                             one head per class set k
/// </code>
/// With <see cref="ModelSettings.LengthGivenTime"/>, the length head also reads the tone's drawn time
/// (<see cref="TimedLength"/>): time is drawn first, then length from its logits given that time. The tone before
/// the first is the start tone, index "head size" in every head. Generating, it feeds back its own sampled tone; in
/// pretraining (teacher forcing) the real tone before takes its place. With <see cref="ModelSettings.BarPosition"/>, P
/// reads b_{t−1}, where the tone before started in its bar (the tone's fifth column); P starts at 0, so that a generator
/// imported from a model without it computes what that model does. With <see cref="ModelSettings.LookbackBars"/>, for each
/// of the last bars n, three more embeddings, also added and starting at 0, read its lookback (<see cref="ToneFeedback"/>):
/// <code>
/// x_t = ReLU(… + P[b_{t−1}] + Σ_n (N_n[next pitch] + O_n[next offset] + R_n[repeat]))
/// </code>
/// With <see cref="ModelSettings.Timing"/>, one more, also starting at 0, reads the song's timing s (metered or free), the
/// rows' last column: x_t = ReLU(… + S[s]). With <see cref="ModelSettings.TimeGivenPlace"/>, the time logits also add a row,
/// starting at 0, for where the tone before started within its sixteenth (and the timing s):
/// logits_time = W_time · h_t + b_time + T[b_{t−1} mod 12, s]. The next onset lands on the sixteenth grid when the time
/// drawn complements that place; the row is shared by every place in the bar with the same one, so that the rare places
/// off the grid, where a generated song strays and the LSTM has seen few songs, learn from all of them together.
/// </summary>
public sealed class ToneGenerator : nn.Module<Tensor, Tensor, Tensor, Tensor[]>
{
    private readonly ModuleList<Embedding> embeddings;
    private readonly Linear input;
    private readonly LSTM lstm;
    private readonly Dropout dropout;
    private readonly ModuleList<Linear> heads;
    private readonly TimedLength? timedLength;
    private readonly TimedLength? timedPitch;
    private readonly int zeroTime;
    private readonly Embedding? position;
    private readonly ModuleList<Embedding> lookback;
    private readonly LookbackCopy? lookbackCopy;
    private readonly Embedding? timing;
    private readonly Embedding? placeTime;

    /// <param name="settings">The model's sizes.</param>
    /// <param name="headSizes">Classes per head.</param>
    /// <param name="timeSteps">Each time class's 1/48-quarter steps, which <see cref="ModelSettings.LookbackCopy"/> needs.</param>
    public ToneGenerator(ModelSettings settings, IReadOnlyList<int> headSizes, IReadOnlyList<int>? timeSteps = null)
        : base("tone_generator")
    {
        Settings = settings;
        HeadSizes = headSizes;
        embeddings = nn.ModuleList([.. headSizes.Select(size => nn.Embedding(size + 1, settings.EmbeddingSize))]);
        input = nn.Linear(settings.Noise + headSizes.Count * settings.EmbeddingSize, settings.HiddenSize);
        lstm = nn.LSTM(settings.HiddenSize, settings.HiddenSize, settings.Layers, batchFirst: true, dropout: settings.Dropout);
        dropout = nn.Dropout(settings.Dropout);
        heads = nn.ModuleList([.. headSizes.Select(size => nn.Linear(settings.HiddenSize, size))]);
        timedLength = GivenTime(ToneVocabulary.LengthHead, settings.LengthGivenTime);
        zeroTime = timeSteps?.ToList().IndexOf(0) ?? -1;
        if (settings.PitchGivenTime > 0 && zeroTime < 0)
            throw new ArgumentException("A pitch head that reads the time needs the time classes' steps, 0 among them.", nameof(timeSteps));
        timedPitch = GivenTime(ToneVocabulary.PitchHead, settings.PitchGivenTime);
        if (settings.BarPosition)
        {
            position = nn.Embedding(ToneVocabulary.BarSteps, settings.HiddenSize);
            using var noGrad = no_grad();
            position.weight!.zero_();
        }
        if (settings.LookbackBars > 0 && !settings.BarPosition)
            throw new ArgumentException("A lookback needs bar_position: it is measured in bars from where each tone started.", nameof(settings));
        lookback = nn.ModuleList([.. Enumerable.Range(0, settings.LookbackBars).SelectMany(_ => ToneFeedback.ColumnValues).Select(Zeroed)]);
        if (settings.LookbackCopy)
        {
            var steps = timeSteps ?? throw new ArgumentNullException(nameof(timeSteps), "A lookback copy needs the time classes' steps.");
            lookbackCopy = new LookbackCopy(settings.HiddenSize, settings.LookbackBars, headSizes.Count, steps);
        }
        if (settings.Timing && !settings.BarPosition)
            throw new ArgumentException("A song's timing is read with bar_position: it is the rows' column after the bar's place.", nameof(settings));
        if (settings.Timing)
            timing = Zeroed(Enum.GetValues<SongTiming>().Length);
        if (settings.TimeGivenPlace && !settings.BarPosition)
            throw new ArgumentException("The time given the place needs bar_position: the place is the rows' column.", nameof(settings));
        if (settings.TimeGivenPlace)
        {
            var rows = ToneVocabulary.SixteenthSteps * (settings.Timing ? Enum.GetValues<SongTiming>().Length : 1);
            placeTime = nn.Embedding(rows, headSizes[ToneVocabulary.TimeHead]);
            using var noGrad = no_grad();
            placeTime.weight!.zero_();
        }
        RegisterComponents();

        Embedding Zeroed(int size)
        {
            var embedding = nn.Embedding(size, settings.HiddenSize);
            using var noGrad = no_grad();
            embedding.weight!.zero_();
            return embedding;
        }
    }

    public ModelSettings Settings { get; }

    public IReadOnlyList<int> HeadSizes { get; }

    /// <summary>Whether the length head reads the tone's drawn time.</summary>
    public bool LengthGivenTime => timedLength is not null;

    /// <summary>Whether the pitch head reads the tone's drawn time, which is then drawn first.</summary>
    public bool PitchGivenTime => timedPitch is not null;

    /// <summary>Whether head <paramref name="head"/>'s logits read the drawn time (a row per time class, once exported).</summary>
    public bool GivenTime(int head) => head == ToneVocabulary.LengthHead && LengthGivenTime || head == ToneVocabulary.PitchHead && PitchGivenTime;

    /// <summary>A correction of head <paramref name="head"/> that reads the drawn time, <paramref name="width"/> wide; none at 0.</summary>
    private TimedLength? GivenTime(int head, int width) =>
        width > 0 ? new TimedLength(Settings.HiddenSize, HeadSizes[ToneVocabulary.TimeHead], HeadSizes[head], width) : null;

    /// <summary>The order in which a tone's heads are drawn: each head after those whose draws it reads.</summary>
    public IReadOnlyList<int> DrawOrder =>
        PitchGivenTime
            ? [ToneVocabulary.TimeHead, ToneVocabulary.PitchHead, ToneVocabulary.LengthHead, ToneVocabulary.VelocityHead]
            : [.. Enumerable.Range(0, HeadSizes.Count)];

    /// <summary>Whether the generator reads where the tone before started in its bar.</summary>
    public bool BarPosition => position is not null;

    /// <summary>Whether the generator reads its song's timing, the rows' last column.</summary>
    public bool Timing => timing is not null;

    /// <summary>Whether the time logits add a row for the place in the bar (and the song's timing).</summary>
    public bool TimeGivenPlace => placeTime is not null;

    /// <summary>How many of the last bars the generator looks back on.</summary>
    public int LookbackBars => Settings.LookbackBars;

    /// <summary>The direct path from the lookback to the pitch and time heads, when the generator has one.</summary>
    public LookbackCopy? Copy => lookbackCopy;

    /// <summary>
    /// Teacher forcing: the logits of every step, one tensor [batch, steps, classes] per head, from noise
    /// [batch, steps, noise] and the tones before each step [batch, steps, previous_tone's columns] (the start tone
    /// first; <see cref="ToneFeedback"/> builds the rows); the length
    /// head reads each step's real time class in <paramref name="time"/> [batch, steps] when it reads one.
    /// </summary>
    public override Tensor[] forward(Tensor noise, Tensor previous, Tensor time)
    {
        var (output, _, _) = lstm.call(Input(noise, previous));
        var h = dropout.call(output);
        return [.. heads.Select((_, k) => Logits(h, k, time, previous))];
    }

    /// <summary>
    /// One step: h_t [batch, hidden], from which <see cref="Logits"/> gives each head's, and the new state [layers, batch,
    /// hidden], from z_t [batch, noise], the tone before [batch, previous_tone's columns] and the old state.
    /// </summary>
    public (Tensor Output, (Tensor H, Tensor C) State) Step(Tensor noise, Tensor previous, (Tensor H, Tensor C) state)
    {
        var (output, h, c) = lstm.call(Input(noise.unsqueeze(1), previous.unsqueeze(1)), state);
        return (dropout.call(output.squeeze(1)), (h, c));
    }

    /// <summary>
    /// Head <paramref name="head"/>'s logits from h_t; the length head's given the drawn time classes, which only it reads;
    /// with a <see cref="Copy"/>, the pitch and time heads' with what the rows read (<paramref name="previous"/>, as h_t's) copied in.
    /// </summary>
    public Tensor Logits(Tensor output, int head, Tensor? time, Tensor? previous = null)
    {
        var logits = heads[head].call(output);
        if (placeTime is not null && head == ToneVocabulary.TimeHead)
            logits = logits + placeTime.call(PlaceRow(previous ?? throw new ArgumentNullException(nameof(previous), "The time reads the place.")));
        if (timedPitch is not null && head == ToneVocabulary.PitchHead)
        {
            var drawn = time ?? throw new ArgumentNullException(nameof(time), "The pitch head reads the drawn time.");
            logits = logits + timedPitch.call(output, drawn);
            if (previous is not null)
                logits = logits.masked_fill(InOrder(drawn, previous).logical_not(), float.NegativeInfinity);
        }
        if (lookbackCopy is not null && head is ToneVocabulary.PitchHead or ToneVocabulary.TimeHead)
        {
            var (pitch, times) = lookbackCopy.call(output, previous ?? throw new ArgumentNullException(nameof(previous), "The copy reads the rows."));
            return logits + (head == ToneVocabulary.PitchHead ? pitch : times);
        }
        if (head != ToneVocabulary.LengthHead || timedLength is null)
            return logits;
        return logits + timedLength.call(output, time ?? throw new ArgumentNullException(nameof(time), "The length head reads the drawn time."));
    }

    /// <summary>
    /// Which pitches [..., 128] the encoding can write after the tone before (the rows' first column) at the drawn time: above it
    /// at the time 0, when it joins that tone's chord (whose keys are written ascending, each once); any otherwise. After the top
    /// key, or the start, nothing is masked: a row with every pitch masked would draw nothing (NaN) in a free run.
    /// </summary>
    private Tensor InOrder(Tensor time, Tensor previous)
    {
        var before = previous.select(-1, ToneVocabulary.PitchHead).unsqueeze(-1);
        var pitches = arange(ToneVocabulary.Pitches, device: previous.device);
        return time.ne(zeroTime).unsqueeze(-1).logical_or(pitches.gt(before)).logical_or(before.ge(ToneVocabulary.Pitches - 1));
    }

    /// <summary>The row of T the rows read: the place within the sixteenth, plus 12 for each timing before the song's.</summary>
    private Tensor PlaceRow(Tensor previous)
    {
        var place = previous.select(-1, HeadSizes.Count).remainder(ToneVocabulary.SixteenthSteps);
        return timing is null ? place : place + ToneVocabulary.SixteenthSteps * previous.select(-1, -1);
    }

    public (Tensor H, Tensor C) ZeroState(long batch, Device device) =>
        (zeros(Settings.Layers, batch, Settings.HiddenSize, device: device), zeros(Settings.Layers, batch, Settings.HiddenSize, device: device));

    private Tensor Input(Tensor noise, Tensor previous)
    {
        var embedded = embeddings.Select((embedding, k) => embedding.call(previous[.., .., k]));
        var x = input.call(cat([noise, .. embedded], dim: 2));
        if (position is not null)
            x = x + position.call(previous[.., .., HeadSizes.Count]);
        for (var i = 0; i < lookback.Count; i++)
            x = x + lookback[i].call(previous[.., .., HeadSizes.Count + 1 + i]);
        if (timing is not null)
            x = x + timing.call(previous[.., .., -1]);
        return nn.functional.relu(x);
    }
}
