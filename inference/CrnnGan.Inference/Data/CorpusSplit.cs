namespace CrnnGan.Inference.Data;

/// <summary>How a corpus is divided into training, validation and test songs.</summary>
public abstract record CorpusSplit
{
    /// <summary>
    /// The reference's fixed hold-out lists: text files with one path per line, relative to the list's own
    /// folder (e.g. <c>classical/mozart/245div1.mid</c>). Every other file is training data.
    /// </summary>
    public sealed record HoldOutLists(string ValidationList, string TestList) : CorpusSplit
    {
        /// <inheritdoc/>
        public override string Describe() => $"hold-out lists {ValidationList} and {TestList}";
    }

    /// <summary>
    /// Seeded percentages: files are ordered by a hash of the seed and their path, the first share goes to
    /// validation, the next to test, so the split is exact in size and does not depend on file order.
    /// </summary>
    public sealed record Percentages(double ValidationPercent, double TestPercent, ulong Seed) : CorpusSplit
    {
        /// <inheritdoc/>
        public override string Describe() => $"seeded percentages: validation {ValidationPercent}%, test {TestPercent}%, seed {Seed}";

        /// <summary>This split, or an <see cref="ArgumentException"/> naming the percentage that is out of range.</summary>
        public Percentages Validate()
        {
            if (ValidationPercent is < 0 or > 100 || TestPercent is < 0 or > 100 || ValidationPercent + TestPercent > 100)
                throw new ArgumentOutOfRangeException(
                    nameof(ValidationPercent),
                    $"Validation ({ValidationPercent}%) and test ({TestPercent}%) must be shares of at most 100% together."
                );
            return this;
        }
    }

    /// <summary>The reference's hold-out lists when they are beside the folder, else 10% validation and 5% test by seed.</summary>
    public static CorpusSplit Default(string dataFolder, ulong seed) => (CorpusSplit?)FindHoldOutLists(dataFolder) ?? new Percentages(10, 5, seed);

    /// <summary>A line that says how the corpus is split.</summary>
    public abstract string Describe();

    /// <summary>
    /// The hold-out lists beside a data folder, as the reference corpus keeps them (validation.txt and test.txt in the folder or its parent), or
    /// null.
    /// </summary>
    public static HoldOutLists? FindHoldOutLists(string dataFolder)
    {
        var folder = new DirectoryInfo(Path.GetFullPath(dataFolder));
        foreach (var candidate in new[] { folder, folder.Parent }.OfType<DirectoryInfo>())
        {
            var validation = Path.Combine(candidate.FullName, "validation.txt");
            var test = Path.Combine(candidate.FullName, "test.txt");
            if (File.Exists(validation) && File.Exists(test))
                return new HoldOutLists(validation, test);
        }
        return null;
    }
}
