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
/// Dropout acts on the inputs and between layers while training.
/// </summary>
public sealed class Discriminator : nn.Module<Tensor, Tensor>
{
    private readonly Dropout inputDropout;
    private readonly LSTM forwardStack;
    private readonly LSTM backwardStack;
    private readonly Linear score;

    public Discriminator(ModelSettings settings) : base("discriminator")
    {
        Settings = settings;
        inputDropout = nn.Dropout(settings.Dropout);
        forwardStack = nn.LSTM(settings.Features, settings.HiddenSize, settings.Layers, batchFirst: true, dropout: settings.Dropout);
        backwardStack = nn.LSTM(settings.Features, settings.HiddenSize, settings.Layers, batchFirst: true, dropout: settings.Dropout);
        score = nn.Linear(2 * settings.HiddenSize, 1);
        RegisterComponents();
    }

    public ModelSettings Settings { get; }

    /// <summary>r_t for every step: [batch, steps, 2 × hidden].</summary>
    public Tensor Features(Tensor steps)
    {
        var x = inputDropout.call(steps);
        var (forwards, _, _) = forwardStack.call(x);
        var (backwards, _, _) = backwardStack.call(x.flip(1));
        return cat([forwards, backwards.flip(1)], dim: 2);
    }

    /// <summary>The per-step logits w · r_t + b: [batch, steps]. Losses are computed from these, never from σ.</summary>
    public Tensor Logits(Tensor features) => score.call(features).squeeze(-1);

    /// <summary>D(x): the probability that each sequence is real, σ averaged over time: [batch].</summary>
    public override Tensor forward(Tensor steps) => nn.functional.sigmoid(Logits(Features(steps))).mean([1]);
}
