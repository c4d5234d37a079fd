namespace CrnnGan.Cli.Evaluation;

/// <summary>
/// An evaluation's judgements of whole pieces: each model's <see cref="Evaluation.Realism"/>, real music's against real
/// music's (the floor), and each model's pieces late in long songs with theirs; <paramref name="OtherReal"/> is the real music
/// of the floor, whose distances to the real music judged are the floor of every distance.
/// </summary>
public sealed record Judged(
    IReadOnlyList<Realism> Realism,
    Realism Floor,
    IReadOnlyList<(MusicSource Source, Realism Realism)> Late,
    MusicSource OtherReal
)
{
    /// <summary>The model's late pieces and their realism, when long songs were measured.</summary>
    public (MusicSource Source, Realism Realism)? LateOf(MusicSource model) =>
        Late.Where(l => l.Source.Name.StartsWith(model.Name + ", ", StringComparison.Ordinal)).Cast<(MusicSource, Realism)?>().FirstOrDefault();

    /// <summary>Every target of <see cref="MusicTargets"/> for the model, those of its long songs included.</summary>
    public IReadOnlyList<MusicTargets.Check> Targets(MusicSource model, MusicSource real) =>
        [
            .. MusicTargets.Of(model, real, Realism.Single(r => r.Source == model.Name), Floor),
            .. LateOf(model) is { } late ? MusicTargets.Late(late.Source, real, late.Realism, Floor) : [],
        ];
}
