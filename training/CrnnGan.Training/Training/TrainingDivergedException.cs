namespace CrnnGan.Training.Training;

/// <summary>An epoch whose losses are infinite or not a number: the run stops before it writes anything of it.</summary>
public sealed class TrainingDivergedException(string message) : InvalidOperationException(message);
