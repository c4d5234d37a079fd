namespace CrnnGan.Training.Export;

/// <summary>
/// How closely the exported graph computes what TorchSharp computes with the same weights, step by step along a
/// free run of the exported graph: the largest difference (output and state; relative where a value exceeds 1)
/// between the two sides' steps from the same inputs, and the agreement of the notes decoded from each side's steps.
/// </summary>
/// <remarks>
/// For the tone family both sides draw from the same uniforms, and every sampled tone must agree
/// (<see cref="RequiredNoteAgreement"/> 1). A draw is discrete, so rounding cannot move it unless its uniform falls
/// within rounding of the boundary between two classes: such a draw is a tie, which either side may take, counted
/// apart in <see cref="BoundaryTies"/> and not as a disagreement.
/// </remarks>
public sealed record ParityReport(
    int Batch,
    int Steps,
    double MaxStepDifference,
    int NotesCompared,
    int NotesAgreeing,
    string? FirstDisagreement = null,
    double RequiredNoteAgreement = 0.99,
    int BoundaryTies = 0
)
{
    public const double StepTolerance = 1e-5;

    /// <summary>How near a class boundary (in probability) a uniform must fall for its draw to count as a tie.</summary>
    public const double TieTolerance = 1e-5;

    public double NoteAgreement => NotesCompared == 0 ? 1 : (NotesAgreeing + BoundaryTies) / (double)NotesCompared;

    public bool Passed => MaxStepDifference <= StepTolerance && NoteAgreement >= RequiredNoteAgreement;

    public override string ToString() =>
        $"batch {Batch}, {Steps} steps: largest step difference {MaxStepDifference:0.0e+0} (limit {StepTolerance:0e+0}); "
        + $"{NotesAgreeing} of {NotesCompared} decoded notes agree ({NoteAgreement:P2}, need {RequiredNoteAgreement:P0})"
        + (BoundaryTies == 0 ? "" : $"; {BoundaryTies} draw(s) within {TieTolerance:0e+0} of a class boundary, a tie either side may take")
        + (FirstDisagreement is null ? "" : $"; first difference: {FirstDisagreement}");
}
