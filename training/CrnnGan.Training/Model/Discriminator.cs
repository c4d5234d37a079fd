using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CrnnGan.Training.Model;

/// <summary>
/// C-RNN-GAN's discriminator (Mogren 2016, section 2): a forward LSTM stack and a separate backward LSTM
/// stack read the whole sequence (not a stacked bidirectional LSTM, whose second layer would see both
/// directions); at each step their outputs are concatenated into r_t, the layer feature matching compares,
/// and one linear layer shared over time scores it:
/// <code>
/// r_t = [LSTM_fw(x)_t, LSTM_bw(x)_t]
/// D(x) = mean_t σ(w · r_t + b)
/// </code>
/// Dropout acts on the inputs (at <see cref="ModelSettings.DiscriminatorInputDropout"/> when set) and between
/// layers while training.
/// <para>
/// With <see cref="ModelSettings.DiscriminatorPitchClass"/> (ours, not the paper's) each tone's pitch p, in
/// semitones, is also read as (cos 2πp/12, sin 2πp/12). Staying in a key is a property of pitch classes;
/// from the scalar pitch alone an LSTM must learn a function with a 12-semitone period before it can tell an
/// out-of-key tone. The circle makes pitch class a linear read-out, and its gradient moves a generated pitch
/// towards the classes real songs use. At the reference's input dropout of 0.5 it hears no key (dropping cos or
/// sin alone moves a tone on the circle); without input dropout it does, yet in our runs it did not bring the
/// generator into a key (the model card, models/README.md, has the runs).
/// </para>
/// </summary>
public sealed class Discriminator : nn.Module<Tensor, Tensor>
{
    private readonly Dropout inputDropout;
    private readonly LSTM forwardStack;
    private readonly LSTM backwardStack;
    private readonly Linear score;

    public Discriminator(ModelSettings settings)
        : base("discriminator")
    {
        Settings = settings;
        inputDropout = nn.Dropout(settings.DiscriminatorInputDropout ?? settings.Dropout);
        forwardStack = nn.LSTM(settings.DiscriminatorInputs, settings.HiddenSize, settings.Layers, batchFirst: true, dropout: settings.Dropout);
        backwardStack = nn.LSTM(settings.DiscriminatorInputs, settings.HiddenSize, settings.Layers, batchFirst: true, dropout: settings.Dropout);
        score = nn.Linear(2 * settings.HiddenSize, 1);
        RegisterComponents();
    }

    public ModelSettings Settings { get; }

    /// <summary>r_t for every step: [batch, steps, 2 × hidden].</summary>
    public Tensor Features(Tensor steps)
    {
        var x = inputDropout.call(Inputs(steps));
        var (forwards, _, _) = forwardStack.call(x);
        var (backwards, _, _) = backwardStack.call(x.flip(1));
        return cat([forwards, backwards.flip(1)], dim: 2);
    }

    /// <summary>What the LSTM stacks read: the steps, followed by each tone's pitch class where the settings ask for it.</summary>
    public Tensor Inputs(Tensor steps)
    {
        if (!Settings.DiscriminatorPitchClass)
            return steps;
        var angles = Enumerable
            .Range(0, Settings.TonesPerStep)
            .Select(tone => steps[.., .., StepLayout.PitchIndex(tone)] * (2 * Math.PI * Settings.PitchDivisor / 12))
            .ToArray();
        return cat([steps, .. angles.SelectMany(a => new[] { a.cos(), a.sin() }).Select(c => c.unsqueeze(-1))], dim: 2);
    }

    /// <summary>The per-step logits w · r_t + b: [batch, steps]. Losses are computed from these, never from σ.</summary>
    public Tensor Logits(Tensor features) => score.call(features).squeeze(-1);

    /// <summary>D(x): the probability that each sequence is real, σ averaged over time: [batch].</summary>
    public override Tensor forward(Tensor steps) => nn.functional.sigmoid(Logits(Features(steps))).mean([1]);
}
