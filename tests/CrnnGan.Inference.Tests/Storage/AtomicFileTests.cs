using CrnnGan.Inference.Storage;
using CrnnGan.TestSupport;

namespace CrnnGan.Inference.Tests.Storage;

public sealed class AtomicFileTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    [Fact]
    public void A_write_replaces_the_file_whole()
    {
        var path = _folder.Write("a.txt", "old"u8.ToArray());

        AtomicFile.WriteAllText(path, "new");

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(["a.txt"], Directory.GetFiles(_folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_write_that_fails_halfway_leaves_the_old_file_and_no_temporary_one()
    {
        var path = _folder.Write("a.txt", "old"u8.ToArray());

        Assert.Throws<InvalidDataException>(() =>
            AtomicFile.Write(
                path,
                temporary =>
                {
                    File.WriteAllText(temporary, "half");
                    throw new InvalidDataException("failed halfway");
                }
            )
        );

        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["a.txt"], Directory.GetFiles(_folder.Path).Select(Path.GetFileName));
    }

    public void Dispose() => _folder.Dispose();
}
