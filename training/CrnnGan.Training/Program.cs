using System.CommandLine;
using CrnnGan.Terminal;
using CrnnGan.Training.Commands;

var root = new RootCommand("crnngan-train: train C-RNN-GAN (Mogren 2016) on MIDI with TorchSharp.")
{
    TrainCommand.Create(),
    ExportCommand.Create(),
    QuantizeCommand.Create(),
    SamplingCommand.Create(),
    BenchCommand.Create(),
};
return CommandRunner.Run(root, args);
