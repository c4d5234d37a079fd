using CrnnGan.Inference.Music;
using CrnnGan.Inference.Randomness;

namespace CrnnGan.Inference.Tests.Music;

public sealed class ScaleAndKeyTests
{
    [Fact]
    public void The_best_fitting_scale_of_a_melody_in_D_major_is_D_major_and_moves_it_to_C()
    {
        int[] melody = [62, 64, 66, 67, 69, 71, 73, 74, 73, 71, 69, 66];

        var scale = Scale.BestFit(melody);

        Assert.Equal(new Scale(2, ScaleKind.Major), scale);
        Assert.Equal(-2, scale.ShiftToC);
        Assert.All(melody, p => Assert.True(new Scale(0, ScaleKind.Major).Contains(p + scale.ShiftToC)));
    }

    [Fact]
    public void A_melody_in_harmonic_minor_goes_to_A_minor_and_shifts_stay_within_a_tritone()
    {
        int[] eMinor = [64, 66, 67, 69, 71, 72, 75, 76, 75, 71]; // E harmonic minor: D#, not D

        var scale = Scale.BestFit(eMinor);

        Assert.Equal(new Scale(4, ScaleKind.HarmonicMinor), scale);
        Assert.Equal(5, scale.ShiftToC); // E → A is +5, not −7
        Assert.All(Scale.All, s => Assert.InRange(s.ShiftToC, -6, 5));
        Assert.Equal(36, Scale.All.Count);
    }

    [Fact]
    public void Scale_consistency_is_the_share_of_tones_in_the_best_scale()
    {
        Assert.Equal(1.0, Scale.Consistency([60, 62, 64, 65, 67, 69, 71]));
        Assert.Equal(7 / 8.0, Scale.Consistency([60, 62, 64, 65, 67, 69, 71, 61]));
        Assert.Equal(0, Scale.Consistency([]));
    }

    [Theory]
    [InlineData("C", 0, false, 0)]
    [InlineData("am", 9, true, 0)]
    [InlineData("F#m", 6, true, -3)]
    [InlineData("Bb", 10, false, -2)]
    [InlineData("Ebm", 3, true, -6)]
    [InlineData("G major", 7, false, -5)]
    public void Keys_read_as_musicians_write_them_and_move_C_major_or_A_minor_there(string text, int tonic, bool minor, int offset)
    {
        Assert.True(MusicalKey.TryParse(text, out var key));
        Assert.Equal(new MusicalKey(tonic, minor), key);
        Assert.Equal(offset, key.Offset);
        Assert.True(MusicalKey.TryParse(key.ToString(), out var again) && again == key);
    }

    [Theory]
    [InlineData("")]
    [InlineData("H")]
    [InlineData("C#x")]
    [InlineData("random")]
    public void Anything_else_is_not_a_key(string text) => Assert.False(MusicalKey.TryParse(text, out _));

    [Fact]
    public void A_random_key_is_drawn_from_all_24_by_the_seed()
    {
        var drawn = Enumerable.Range(0, 500).Select(i => MusicalKey.Random(new SeededRandom((ulong)i))).ToList();

        Assert.Equal(24, drawn.Distinct().Count());
        Assert.Equal(drawn[7], MusicalKey.Random(new SeededRandom(7)));
    }
}
