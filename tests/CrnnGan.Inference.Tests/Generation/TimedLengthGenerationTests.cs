using CrnnGan.Inference.Features;
using CrnnGan.Inference.Generation;
using CrnnGan.Inference.Generation.Encodings;
using CrnnGan.TestSupport;

namespace CrnnGan.Inference.Tests.Generation;

/// <summary>A tone model whose length head reads the drawn time (contract version 3): a row of length logits per time class.</summary>
public sealed class TimedLengthGenerationTests : IDisposable
{
    private readonly GeneratorSession _session = GeneratorSession.Open(FixtureModels.TimedTones, new GeneratorSessionOptions(ExecutionProvider.Cpu));

    [Fact]
    public void The_model_says_its_length_head_reads_the_time_and_gives_a_row_per_time_class()
    {
        var metadata = _session.Metadata;
        var tones = Assert.IsType<ToneEncoding>(metadata.Encoding);

        Assert.True(tones.LengthGivenTime);
        Assert.Equal(ModelContract.TimedLengthVersion, metadata.ContractVersion);
        Assert.Equal([4, 3], tones.LogitShape(ToneVocabulary.LengthHead));
        Assert.Equal([3], tones.LogitShape(ToneVocabulary.VelocityHead));
        Assert.Contains("the logits of the time drawn", metadata.ToProperties()[ModelMetadata.Prefix + "sampling"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_song_is_the_same_alone_and_in_a_batch_and_the_same_seed_gives_the_same_tones()
    {
        ulong[] seeds = [5, 6, 7];

        var batch = _session.RunTones(3, 80, seeds, 1f, 1f, null);
        var alone = _session.RunTones(1, 80, [6], 1f, 1f, null);

        Assert.Equal(batch, _session.RunTones(3, 80, seeds, 1f, 1f, null));
        Assert.Equal(alone, batch.AsSpan(alone.Length, alone.Length).ToArray());
        var lengths = batch.Where((_, i) => i % 4 == ToneVocabulary.LengthHead).Distinct().Count();
        Assert.True(lengths > 1, "every length drawn is one class");
    }

    [Fact]
    public void The_length_is_drawn_from_the_row_of_the_time_drawn()
    {
        float[] pitch = [0];
        float[] time = [0, 0, 9, 0]; // class 2 by far the likeliest
        float[] velocity = [0];
        // Row d favours length class d % 3.
        float[] lengths = [.. Enumerable.Range(0, 12).Select(i => i / 3 % 3 == i % 3 ? 9f : 0f)];
        var drawn = new int[4];

        ToneSampler.DrawTone(pitch, time, lengths, lengthGivenTime: true, velocity, 0.01f, 0.01f, [0.5f, 0.5f, 0.5f, 0.5f], -1, drawn);
        Assert.Equal((2, 2), (drawn[ToneVocabulary.TimeHead], drawn[ToneVocabulary.LengthHead]));
        ToneSampler.DrawTone(pitch, time, lengths, lengthGivenTime: true, velocity, 0.01f, 0.01f, [0.5f, 0.5f, 0.5f, 0.5f], 2, drawn);
        Assert.NotEqual(2, drawn[ToneVocabulary.TimeHead]);
        Assert.Equal(drawn[ToneVocabulary.TimeHead] % 3, drawn[ToneVocabulary.LengthHead]);
    }

    public void Dispose() => _session.Dispose();
}
