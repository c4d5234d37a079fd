namespace CrnnGan.Training.Export;

/// <summary>
/// How closely the exported graph computes what TorchSharp computes with the same weights, step by step along a
/// free run of the exported graph: the largest difference (output and state; relative where a value exceeds 1)
/// between the two sides' steps from the same inputs, and the agreement of the notes decoded from each side's steps.
/// </summary>
/// <remarks>
/// For the tone family both sides run free from the same uniforms, and every sampled tone must agree
/// (<see cref="RequiredNoteAgreement"/> 1): a draw is discrete, so rounding cannot move it unless a uniform falls
/// within rounding of a class boundary.
/// </remarks>
public sealed record ParityReport(
    int Batch, int Steps, double MaxStepDifference, int NotesCompared, int NotesAgreeing, string? FirstDisagreement = null, double RequiredNoteAgreement = 0.99)
{
    public const double StepTolerance = 1e-5;

    public double NoteAgreement => NotesCompared == 0 ? 1 : NotesAgreeing / (double)NotesCompared;

    public bool Passed => MaxStepDifference <= StepTolerance && NoteAgreement >= RequiredNoteAgreement;

    public override string ToString() =>
        $"batch {Batch}, {Steps} steps: largest step difference {MaxStepDifference:0.0e+0} (limit {StepTolerance:0e+0}); " +
        $"{NotesAgreeing} of {NotesCompared} decoded notes agree ({NoteAgreement:P2}, need {RequiredNoteAgreement:P0})" +
        (FirstDisagreement is null ? "" : $"; first difference: {FirstDisagreement}");
}
