using CrnnGan.Inference.Music;

namespace CrnnGan.Inference.Tests.Music;

public sealed class SongTimingNamesTests
{
    [Theory]
    [InlineData("metered", SongTiming.Metered)]
    [InlineData("FREE", SongTiming.Free)]
    [InlineData("Random", null)]
    public void A_name_in_any_case_gives_its_timing(string text, SongTiming? expected)
    {
        Assert.True(SongTimingNames.TryParse(text, out var timing));
        Assert.Equal(expected, timing);
    }

    [Theory]
    [InlineData("swung")]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_else_names_no_timing(string? text) => Assert.False(SongTimingNames.TryParse(text, out _));

    [Fact]
    public void Every_timing_has_a_name_that_reads_back()
    {
        Assert.Equal(["random", "metered", "free"], SongTimingNames.All);
        foreach (var timing in Enum.GetValues<SongTiming>())
            Assert.True(SongTimingNames.TryParse(SongTimingNames.Name(timing), out var read) && read == timing);
    }
}
