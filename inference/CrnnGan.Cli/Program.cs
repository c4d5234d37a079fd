using System.CommandLine;
using CrnnGan.Cli.Commands;
using CrnnGan.Terminal;

var root = new RootCommand("C-RNN-GAN (Mogren 2016): continuous recurrent networks with adversarial training, for music.")
{
    GenerateCommand.Create(),
    EvaluateCommand.Create(),
    CorpusCommand.Create(),
    DatasetCommand.Create(),
};
return CommandRunner.Run(root, args);
