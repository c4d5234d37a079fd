using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CrnnGan.Training.Model;

/// <summary>
/// What the length head adds once the tone's time is drawn: a chord's tone tends to last as long as the tone it
/// joins, a tone after a long rest as long as the rest, which a head drawn apart from the time cannot know.
/// <code>
/// a_t = ReLU(U_h · h_t + U_d[d_t] + b)          U_d: one row per time class
/// logits_length = W_length · h_t + V · a_t      V starts at 0, so the head starts as it was
/// </code>
/// </summary>
public sealed class TimedLength : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Linear hidden;
    private readonly Embedding times;
    private readonly Linear output;

    public TimedLength(int hiddenSize, int timeClasses, int lengthClasses, int width)
        : base("timed_length")
    {
        hidden = nn.Linear(hiddenSize, width);
        times = nn.Embedding(timeClasses, width);
        output = nn.Linear(width, lengthClasses, hasBias: false);
        using (no_grad())
            output.weight!.zero_();
        RegisterComponents();
    }

    /// <summary>The correction to the length logits, [..., length classes], from h [..., hidden] and the drawn time classes [...].</summary>
    public override Tensor forward(Tensor h, Tensor time) => output.call(nn.functional.relu(hidden.call(h) + times.call(time)));
}
