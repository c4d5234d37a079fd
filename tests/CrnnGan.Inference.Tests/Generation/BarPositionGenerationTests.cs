using CrnnGan.Inference.Features;
using CrnnGan.Inference.Generation;
using CrnnGan.Inference.Generation.Encodings;
using CrnnGan.TestSupport;

namespace CrnnGan.Inference.Tests.Generation;

/// <summary>A model that reads where each tone falls in its bar (contract version 4), served by the same generation loop.</summary>
public sealed class BarPositionGenerationTests : IDisposable
{
    private readonly GeneratorSession _session = GeneratorSession.Open(FixtureModels.BarTones, new GeneratorSessionOptions(ExecutionProvider.Cpu));

    [Fact]
    public void The_model_says_its_previous_tone_carries_the_bars_place()
    {
        var tones = Assert.IsType<ToneEncoding>(_session.Metadata.Encoding);

        Assert.Equal(ModelContract.BarPositionVersion, _session.Metadata.ContractVersion);
        Assert.True(tones.BarPosition && tones.LengthGivenTime);
        Assert.Equal(5, tones.PreviousWidth);
        Assert.Equal(new long[] { 128, 4, 3, 3, 0 }, tones.StartTone);
        Assert.Contains(ModelMetadata.Prefix + "bar_position", _session.Metadata.ToProperties().Keys);
    }

    [Fact]
    public void The_bars_place_moves_on_by_each_time_class_modulo_the_bar()
    {
        var tones = (ToneEncoding)_session.Metadata.Encoding; // time bins 0, 1/4, 1/2 and 1 quarter: 0, 12, 24 and 48 steps
        var feedback = tones.Feedback();

        int[] Draw(int time) => [60, time, 0, 0];
        foreach (var time in new[] { 3, 3, 2, 1, 0 })
            feedback.Add(Draw(time));
        Assert.Equal(new long[] { 60, 0, 0, 0, 132 }, feedback.Previous);
        foreach (var _ in Enumerable.Range(0, 2))
            feedback.Add(Draw(3));
        Assert.Equal(228L % ToneVocabulary.BarSteps, feedback.Previous[^1]);
        Assert.Equal([12, 24, 72, 72], tones.Vocabulary.BarPositions([60, 1, 0, 0, 60, 1, 0, 0, 60, 3, 0, 0, 60, 0, 0, 0]));
    }

    [Fact]
    public async Task A_song_is_the_same_alone_in_a_batch_and_through_the_scheduler_and_the_place_changes_the_songs()
    {
        var request = new GenerationRequest
        {
            Count = 5,
            Steps = 120,
            Seed = 9,
            BatchSize = 5,
        };
        using var scheduler = new StepScheduler(_session, TimeSpan.Zero, 8);

        var batch = new SongGenerator(_session).Generate(request).Select(s => s.ToMidi(0)).ToList();
        var alone = new SongGenerator(_session).Generate(request with { Seed = 11, Count = 1, BatchSize = 1 })[0].ToMidi(0);
        var scheduled = (await new SongGenerator(_session, scheduler).GenerateAsync(request, CancellationToken.None)).Select(s => s.ToMidi(0));

        Assert.Equal(batch[2], alone);
        Assert.Equal(batch, scheduled);
        using var timed = GeneratorSession.Open(FixtureModels.TimedTones, new GeneratorSessionOptions(ExecutionProvider.Cpu));
        Assert.NotEqual(batch, new SongGenerator(timed).Generate(request).Select(s => s.ToMidi(0)));
    }

    public void Dispose() => _session.Dispose();
}
