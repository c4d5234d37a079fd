using System.Security.Cryptography;
using CrnnGan.Inference.Generation;
using CrnnGan.TestSupport;

namespace CrnnGan.Inference.Tests.Generation;

/// <summary>
/// Each fixture model gives the songs it gave when each family had a generation path of its own: the SHA-256 of 32
/// songs' MIDI files (256 steps, seeds 0–31, batches of 16), alone and through the step scheduler.
/// </summary>
public sealed class RecordedSongsTests
{
    public static TheoryData<string, string> Recorded =>
        new()
        {
            { "generator-k1.onnx", "ebbbdaa42f8d6d5b51e69f4713e6e505e91682323fe4b3773327a46ea97a0c0e" },
            { "generator-k3.onnx", "e9263967f0c73430b35129db20aba789cfc0e28d329c06ceda7de7a3522fd00c" },
            { "generator-tones.onnx", "85a125e8134665964c1b4f9c95dcf2d9221516efc830e0a1e9cbad4bf177a964" },
            { "generator-tones-timed.onnx", "2ad2b98abd30304d02452709ae0cb9a2882d11816ce11411bb6a02d20e5c7f93" },
        };

    [Theory]
    [MemberData(nameof(Recorded))]
    public async Task A_fixture_gives_the_recorded_songs(string fixture, string sha256)
    {
        using var session = GeneratorSession.Open(Repository.Fixture(fixture), new GeneratorSessionOptions(ExecutionProvider.Cpu));
        using var scheduler = new StepScheduler(session, TimeSpan.Zero, 64);
        var request = new GenerationRequest
        {
            Count = 32,
            Steps = 256,
            Seed = 0,
            BatchSize = 16,
        };

        var alone = Hash(new SongGenerator(session).Generate(request));
        var scheduled = Hash(await new SongGenerator(session, scheduler).GenerateAsync(request, CancellationToken.None));

        Assert.Equal((sha256, sha256), (alone, scheduled));
    }

    private static string Hash(IReadOnlyList<GeneratedSong> songs) =>
        Convert.ToHexStringLower(SHA256.HashData([.. songs.SelectMany(s => s.ToMidi(0))]));
}
