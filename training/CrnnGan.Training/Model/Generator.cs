using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CrnnGan.Training.Model;

/// <summary>
/// C-RNN-GAN's generator (Mogren 2016, section 2). At every step t it reads a uniform random vector z_t and
/// its own previous output, and emits the next step's features:
/// <code>
/// x_t = ReLU(W_in · [z_t, y_{t−1}])
/// h_t = LSTM_L(… LSTM_1(x_t))          dropout after each layer while training
/// y_t = W_out · h_t
/// </code>
/// y_{−1} is itself a uniform random vector. In pretraining (teacher forcing) the real previous step takes
/// the place of y_{t−1}.
/// </summary>
public sealed class Generator : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Linear input;
    private readonly ModuleList<LSTMCell> lstm;
    private readonly Dropout dropout;
    private readonly Linear output;

    public Generator(ModelSettings settings)
        : base("generator")
    {
        Settings = settings;
        input = nn.Linear(settings.Noise + settings.Features, settings.HiddenSize);
        lstm = nn.ModuleList([.. Enumerable.Range(0, settings.Layers).Select(_ => nn.LSTMCell(settings.HiddenSize, settings.HiddenSize))]);
        dropout = nn.Dropout(settings.Dropout);
        output = nn.Linear(settings.HiddenSize, settings.Features);
        RegisterComponents();
    }

    public ModelSettings Settings { get; }

    /// <summary>One step: y_t and the new state of each LSTM layer from z_t, y_{t−1} and the old state.</summary>
    public (Tensor Output, (Tensor H, Tensor C)[] State) Step(Tensor noise, Tensor previous, (Tensor H, Tensor C)[] state)
    {
        var x = nn.functional.relu(input.call(cat([noise, previous], dim: 1)));
        var next = new (Tensor H, Tensor C)[state.Length];
        for (var layer = 0; layer < lstm.Count; layer++)
        {
            next[layer] = lstm[layer].call(x, state[layer]);
            x = dropout.call(next[layer].H);
        }
        return (output.call(x), next);
    }

    /// <summary>
    /// Free-running generation: noise [batch, steps, noise] and the first "previous output" [batch, features]
    /// give the generated steps [batch, steps, features].
    /// </summary>
    public override Tensor forward(Tensor noise, Tensor first)
    {
        var state = ZeroState(noise.shape[0], noise.device);
        var previous = first;
        var outputs = new List<Tensor>();
        for (var t = 0; t < noise.shape[1]; t++)
        {
            (previous, state) = Step(noise[.., t], previous, state);
            outputs.Add(previous);
        }
        return stack(outputs, dim: 1);
    }

    /// <summary>
    /// Teacher forcing for pretraining: predicts every step of <paramref name="real"/> [batch, steps, features]
    /// from the real step before it (a random vector before the first).
    /// </summary>
    public Tensor PredictNext(Tensor noise, Tensor real, Tensor first)
    {
        var state = ZeroState(real.shape[0], real.device);
        var outputs = new List<Tensor>();
        for (var t = 0; t < real.shape[1]; t++)
        {
            var previous = t == 0 ? first : real[.., t - 1];
            Tensor y;
            (y, state) = Step(noise[.., t], previous, state);
            outputs.Add(y);
        }
        return stack(outputs, dim: 1);
    }

    public (Tensor H, Tensor C)[] ZeroState(long batch, Device device) =>
        [
            .. Enumerable
                .Range(0, lstm.Count)
                .Select(_ => (zeros(batch, Settings.HiddenSize, device: device), zeros(batch, Settings.HiddenSize, device: device))),
        ];
}
