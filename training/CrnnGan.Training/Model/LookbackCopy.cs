using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CrnnGan.Training.Model;

/// <summary>
/// A direct path from the lookback to the pitch and time heads, for a generator that reads one (contract version 5):
/// what came next n bars earlier (<see cref="ToneFeedback"/>) is copied into the logits with a weight the network
/// chooses from its state and from whether the tone before repeated that bar, as a pointer network copies from its
/// input. Without it the lookback reaches the heads only through the LSTM, which has to learn a copy for every pitch:
/// trained that way, songs repeated the bar before as rarely as without a lookback (3% of tones against real music's 9%).
/// <code>
/// g_n = W_n · h_t + b_n + R_n[repeat_n]                      two numbers a bar: for pitch and for time
/// logits_pitch += Σ_n g_n,pitch · onehot(next pitch_n)       none: nothing
/// logits_time  += Σ_n g_n,time · onehot(the time class of exactly next offset_n steps)
/// </code>
/// W, b and R start at 0, so a generator imported from one without the copy computes what it did.
/// </summary>
public sealed class LookbackCopy : nn.Module<Tensor, Tensor, (Tensor Pitch, Tensor Time)>
{
    private readonly ModuleList<Linear> gates;
    private readonly ModuleList<Embedding> repeats;
    private readonly int firstColumn;

    public LookbackCopy(int hiddenSize, int bars, int heads, IReadOnlyList<int> timeSteps)
        : base("lookback_copy")
    {
        gates = nn.ModuleList([.. Enumerable.Range(0, bars).Select(_ => nn.Linear(hiddenSize, 2))]);
        repeats = nn.ModuleList([.. Enumerable.Range(0, bars).Select(_ => nn.Embedding(ToneFeedback.RepeatValues, 2))]);
        firstColumn = heads + 1;
        // Constants of the vocabulary, not weights: kept out of the state (and checkpoints) and out of any dispose scope.
        PitchRows = cat([eye(ToneVocabulary.Pitches), zeros(1, ToneVocabulary.Pitches)]).DetachFromDisposeScope();
        TimeRows = TimeRowsOf(timeSteps).DetachFromDisposeScope();
        RegisterComponents();
        using (no_grad())
        {
            foreach (var p in parameters())
                p.zero_();
        }
    }

    /// <summary>The one-hot of each next pitch, [129, 128]: the identity, then a row of zeros for none.</summary>
    public Tensor PitchRows { get; }

    /// <summary>
    /// The one-hot of the time class of each next offset, [194, time classes]: the class of exactly that many steps (of a
    /// whole bar, for "a bar or more"), or zeros where no class is.
    /// </summary>
    public Tensor TimeRows { get; }

    /// <summary>The corrections to the pitch and time logits, [..., 128] and [..., time classes], from h [..., hidden] and the rows read.</summary>
    public override (Tensor Pitch, Tensor Time) forward(Tensor h, Tensor previous)
    {
        // Moved only when h lives elsewhere: a moved copy belongs to the caller's dispose scope, the constants must not.
        var (pitchRows, timeRows) = h.device == PitchRows.device ? (PitchRows, TimeRows) : (PitchRows.to(h.device), TimeRows.to(h.device));
        Tensor? pitch = null,
            time = null;
        for (var n = 0; n < gates.Count; n++)
        {
            var column = firstColumn + n * ToneFeedback.ColumnsPerBar;
            var g = gates[n].call(h) + repeats[n].call(previous[TensorIndex.Ellipsis, column + 2]);
            var p = g[TensorIndex.Ellipsis, 0..1] * pitchRows[previous[TensorIndex.Ellipsis, column]];
            var t = g[TensorIndex.Ellipsis, 1..2] * timeRows[previous[TensorIndex.Ellipsis, column + 1]];
            (pitch, time) = (pitch is null ? p : pitch + p, time is null ? t : time + t);
        }
        return (pitch!, time!);
    }

    private static Tensor TimeRowsOf(IReadOnlyList<int> timeSteps)
    {
        var rows = new float[(ToneFeedback.NoOffset + 1) * timeSteps.Count];
        // The first class of each step count: the offset's row marks it.
        for (var c = timeSteps.Count - 1; c >= 0; c--)
        {
            if (timeSteps[c] <= ToneFeedback.BarOrMore)
            {
                var row = rows.AsSpan(timeSteps[c] * timeSteps.Count, timeSteps.Count);
                row.Clear();
                row[c] = 1;
            }
        }
        return tensor(rows, [ToneFeedback.NoOffset + 1, timeSteps.Count]);
    }
}
