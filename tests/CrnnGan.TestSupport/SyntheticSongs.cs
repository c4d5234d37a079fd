using CrnnGan.Inference.Music;
using CrnnGan.Inference.Randomness;

namespace CrnnGan.TestSupport;

/// <summary>Small, learnable songs for training tests: scale runs and arpeggios in random keys, with a few chords.</summary>
public static class SyntheticSongs
{
    private static readonly int[] Major = [0, 2, 4, 5, 7, 9, 11, 12];

    public static IReadOnlyList<Song> Make(int count, int tones = 48, ulong seed = 1)
    {
        var random = new SeededRandom(seed);
        return [.. Enumerable.Range(0, count).Select(i => MakeOne($"synthetic/{i:000}.mid", tones, random))];
    }

    private static Song MakeOne(string name, int count, SeededRandom random)
    {
        var root = 48 + random.NextInt(12);
        var tones = new List<Tone>();
        var onset = 0.0;
        for (var i = 0; tones.Count < count; i++)
        {
            var degree = (i % 8) < 4 ? Major[i % 8] : Major[7 - i % 8];
            var length = random.NextInt(2) == 0 ? 0.5 : 1.0;
            tones.Add(new Tone(onset, length, root + degree, 60 + random.NextInt(40)));
            if (i % 8 == 0)
                tones.Add(new Tone(onset, length, root + degree - 12, 50));
            onset += length;
        }
        return new Song(name, tones, TempoMap.Default);
    }
}
