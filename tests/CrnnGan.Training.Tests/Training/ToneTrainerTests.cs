using CrnnGan.Inference.Features;
using CrnnGan.Inference.Generation;
using CrnnGan.Inference.Generation.Encodings;
using CrnnGan.Inference.Music;
using CrnnGan.TestSupport;
using CrnnGan.Training.Export;
using CrnnGan.Training.Model;
using CrnnGan.Training.Training;
using Onnx;
using static TorchSharp.torch;

namespace CrnnGan.Training.Tests.Training;

/// <summary>The tone family: its windows, its trainer, checkpoints and export with the contracts of versions 2 to 9.</summary>
public sealed class ToneTrainerTests : IDisposable
{
    private static readonly TrainingSettings Tiny = new()
    {
        Model = new ModelSettings(
            HiddenSize: 16,
            Layers: 2,
            NoiseSize: 4,
            Dropout: 0.1,
            Family: ModelFamily.Tones,
            EmbeddingSize: 4,
            TimeBins: 4,
            LengthBins: 3,
            VelocityBins: 4
        ),
        BatchSize = 8,
        SequenceLength = 16,
        CurriculumStep = 0,
        PretrainingEpochs = 1,
        Optimizer = OptimizerKind.Adam,
        GeneratorLearningRate = 0.001,
        DiscriminatorLearningRate = 0.001,
        PretrainingLearningRate = 0.01,
        LikelihoodWeight = 0.5,
        GeneratorLoss = GeneratorLoss.NonSaturating,
        FreezeRatio = 0,
        StatisticsSamples = 4,
        Seed = 11,
    };

    private static readonly IReadOnlyList<Song> Training = SyntheticSongs.Make(32, seed: 1);
    private static readonly IReadOnlyList<Song> Validation = SyntheticSongs.Make(8, seed: 2);

    private readonly TemporaryFolder _folder = new();

    private static ToneGan Gan(Trainer trainer) => (ToneGan)trainer.Family;

    private static Trainer NewTrainer(TrainingSettings settings)
    {
        var trainer = Trainer.Create(settings, CPU, Training);
        trainer.UseData(Training, Validation);
        return trainer;
    }

    [Fact]
    public void Windows_are_moved_to_C_major_or_A_minor_by_their_best_fitting_scale()
    {
        var vocabulary = ToneVocabulary.FromSongs(Training.Select(s => s.Tones), 4, 3, 4);
        var windows = new ToneWindows(Training, new ToneEncoding(vocabulary), 16, keyNormalisation: true);
        var raw = new ToneWindows(Training, new ToneEncoding(vocabulary), 16, keyNormalisation: false);

        int[] Pitches(ToneWindows w) =>
            [.. w.Batches(8, new Inference.Randomness.SeededRandom(3)).SelectMany(b => b.Where((_, i) => i % w.Width == 0)).Select(p => (int)p)];

        Assert.All(Pitches(windows), p => Assert.True(new Scale(0, ScaleKind.Major).Contains(p), $"{p} is not in C major"));
        Assert.True(Pitches(raw).Count(p => !new Scale(0, ScaleKind.Major).Contains(p)) > 10);
    }

    [Fact]
    public void Pretraining_lowers_the_cross_entropy_and_the_game_then_updates_both_networks()
    {
        using var trainer = NewTrainer(Tiny with { PretrainingEpochs = 6, Epochs = 7 });

        var results = Enumerable.Range(0, 7).Select(_ => trainer.RunEpoch()).ToList();

        Assert.All(results.Take(6), r => Assert.Equal("pretraining", r.Phase));
        Assert.True(
            results[5].Training.Pretraining < 0.8 * results[0].Training.Pretraining,
            string.Join(", ", results.Select(r => r.Training.Pretraining))
        );
        Assert.True(results[5].Validation.Pretraining < results[0].Validation.Pretraining);
        var game = results[6];
        Assert.Equal("adversarial", game.Phase);
        Assert.True(double.IsFinite(game.Training.Discriminator!.Value) && double.IsFinite(game.Training.Generator!.Value));
        Assert.NotNull(game.Training.Pretraining); // the likelihood term, weighted into the generator's loss
    }

    [Fact]
    public void Straight_through_the_discriminator_reads_exact_one_hots_and_the_generator_still_gets_a_gradient()
    {
        using var trainer = NewTrainer(Tiny with { StraightThrough = true });

        var (tones, relaxed) = Gan(trainer).FreeRun(4, 10, temperature: 0.5);
        var onehots = Gan(trainer).TypedDiscriminator.OneHot(tones);
        var loss = Gan(trainer).TypedDiscriminator.call(relaxed).sum();
        loss.backward();

        Assert.Equal(onehots.data<float>().ToArray(), relaxed.detach().data<float>().ToArray());
        Assert.Contains(trainer.Generator.parameters(), p => p.grad is { } g && g.abs().sum().item<float>() > 0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_resumed_run_continues_exactly_as_an_uninterrupted_one(bool summary)
    {
        // With the window's statistics, the discriminator's standardisation is a constant of the run that its checkpoint keeps.
        var settings = summary
            ? Tiny with
            {
                Epochs = 3,
                Model = Tiny.Model with { DiscriminatorSummary = true },
                GeneratorLoss = GeneratorLoss.FeatureMatching,
            }
            : Tiny with
            {
                Epochs = 3,
            };
        List<EpochResult> uninterrupted;
        using (var trainer = NewTrainer(settings))
            uninterrupted = [.. Enumerable.Range(0, 3).Select(_ => trainer.RunEpoch())];

        var path = _folder.File("checkpoint.zip");
        using (var trainer = NewTrainer(settings))
        {
            trainer.RunEpoch();
            trainer.RunEpoch();
            Checkpoint.Save(trainer, path, "synthetic", "test");
        }
        manual_seed(999);
        using var resumed = Checkpoint.Load(path, CPU);
        resumed.UseData(Training, Validation);
        var last = resumed.RunEpoch();

        Assert.Equal((uninterrupted[2].Epoch, uninterrupted[2].Training, uninterrupted[2].Validation), (last.Epoch, last.Training, last.Validation));
        Assert.Equal(uninterrupted[2].Statistics, last.Statistics);
    }

    [Fact]
    public void A_run_can_start_its_game_from_another_runs_generator_and_bins()
    {
        var from = _folder.File("pretrained.zip");
        using (var pretrained = NewTrainer(Tiny with { PretrainingOnly = true }))
        {
            pretrained.RunEpoch();
            Checkpoint.Save(pretrained, from, "synthetic", "test");
        }
        using var original = Checkpoint.Load(from, CPU);

        using var started = NewTrainer(Tiny with { PretrainingEpochs = 0, GeneratorFrom = from });

        Assert.Equal(Gan(original).Vocabulary, Gan(started).Vocabulary);
        Assert.Equal(
            original.Generator.parameters().SelectMany(p => p.data<float>().ToArray()),
            started.Generator.parameters().SelectMany(p => p.data<float>().ToArray())
        );
        Assert.Throws<ArgumentException>(() =>
            Trainer.Create(Tiny with { GeneratorFrom = from, Model = Tiny.Model with { HiddenSize = 8 } }, CPU, Training)
        );
    }

    [Fact]
    public void A_generator_whose_noise_is_the_songs_reads_one_draw_at_every_step_of_a_window_and_can_start_from_one_that_was_not()
    {
        var model = Tiny.Model with { LengthGivenTime = 5, PitchGivenTime = 5 };
        var from = _folder.File("fresh-noise.zip");
        using (var fresh = NewTrainer(Tiny with { PretrainingOnly = true, Model = model }))
        {
            fresh.RunEpoch();
            Checkpoint.Save(fresh, from, "synthetic", "test");
            var noise = Gan(fresh).Noise(3, 5);
            Assert.NotEqual(noise[0, 0].data<float>().ToArray(), noise[0, 1].data<float>().ToArray());
        }

        using var held = NewTrainer(Tiny with { PretrainingEpochs = 0, GeneratorFrom = from, Model = model with { SongNoise = true } });
        var windows = Gan(held).Noise(3, 5);

        for (var t = 1; t < 5; t++)
            Assert.Equal(windows[.., 0].data<float>().ToArray(), windows[.., t].data<float>().ToArray());
        Assert.NotEqual(windows[0, 0].data<float>().ToArray(), windows[1, 0].data<float>().ToArray());
        Assert.True(held.RunEpoch().Training.Discriminator is { } d && double.IsFinite(d));
        Assert.Contains(
            (Tiny with { Model = Tiny.Model with { SongNoise = true } }).Problems(),
            p => p.StartsWith("song_noise", StringComparison.Ordinal)
        );
    }

    [Fact]
    public void A_run_can_start_its_game_from_an_exported_model_whose_checkpoint_is_gone()
    {
        var exported = _folder.File("pretrained.onnx");
        using (var pretrained = NewTrainer(Tiny with { PretrainingOnly = true }))
        {
            pretrained.RunEpoch();
            var checkpoint = _folder.File("pretrained.zip");
            Checkpoint.Save(pretrained, checkpoint, "synthetic", "test");
            ModelExport.Run(checkpoint, exported);
        }
        var onnx = File.ReadAllBytes(exported);

        using var started = NewTrainer(Tiny with { PretrainingEpochs = 0, GeneratorFrom = exported });
        var game = started.RunEpoch();

        Assert.Equal(OnnxImport.Encoding(onnx).Vocabulary, Gan(started).Vocabulary);
        Assert.True(game.Training.Discriminator is { } d && double.IsFinite(d), $"{game.Training}");
        using var fresh = NewTrainer(Tiny with { PretrainingEpochs = 0, GeneratorFrom = exported });
        Assert.Equal(
            ModelProto.Parser.ParseFrom(onnx).Graph,
            ModelProto.Parser.ParseFrom(OnnxExporter.Export(Gan(fresh).TypedGenerator, Metadata(onnx))).Graph
        );
    }

    [Theory]
    [InlineData(0, false, 0, ModelContract.ToneVersion)]
    [InlineData(5, false, 0, ModelContract.TimedLengthVersion)]
    [InlineData(5, true, 0, ModelContract.BarPositionVersion)]
    [InlineData(5, true, 2, ModelContract.LookbackVersion)]
    [InlineData(5, true, -2, ModelContract.LookbackVersion, false, true)]
    [InlineData(5, true, 0, ModelContract.TimingVersion, true)]
    [InlineData(5, true, 0, ModelContract.TimingVersion, true, true)]
    [InlineData(5, false, 0, ModelContract.PitchGivenTimeVersion, false, false, 5, false)]
    [InlineData(5, true, -2, ModelContract.PitchGivenTimeVersion, true, true, 5, false)]
    [InlineData(5, false, 0, ModelContract.TimeInStepVersion, false, false, 5)]
    [InlineData(5, true, -2, ModelContract.TimeInStepVersion, true, true, 5)]
    [InlineData(5, true, -2, ModelContract.SongNoiseVersion, true, true, 5, true, true)]
    public void The_export_draws_the_same_tones_as_torchsharp_and_serves_through_the_library(
        int lengthGivenTime,
        bool barPosition,
        int lookbackBars,
        int contractVersion,
        bool timing = false,
        bool timeGivenPlace = false,
        int pitchGivenTime = 0,
        bool timeInStep = true,
        bool songNoise = false
    )
    {
        // A negative lookback: that many bars, with the lookback copied into the heads.
        var checkpoint = TrainedCheckpoint(lengthGivenTime, barPosition, lookbackBars, timing, timeGivenPlace, pitchGivenTime, songNoise);
        var output = _folder.File("tones.onnx");

        var (metadata, parity, quantized) = ModelExport.Run(checkpoint, output, defaultTemperature: 0.7f, timeInStep: timeInStep);

        Assert.Equal([1, 8], parity.Select(p => p.Batch));
        Assert.All(parity, p => Assert.True(p.Passed && p.NotesAgreeing == p.NotesCompared && p.Steps == 256, p.ToString()));
        Assert.Equal(contractVersion, metadata.ContractVersion);
        Assert.Null(quantized);
        Assert.Equal(ModelMetadata.Fp32, metadata.Weights);
        using var session = GeneratorSession.Open(output, new GeneratorSessionOptions(ExecutionProvider.Cpu));
        var generator = new SongGenerator(session);
        var song = generator.Generate(new GenerationRequest { Steps = 30, Key = new MusicalKey(7, false) })[0];
        Assert.Equal(30, song.Song.Tones.Count);
        Assert.Equal(((ToneEncoding)metadata.Encoding).Vocabulary, ((ToneEncoding)session.Metadata.Encoding).Vocabulary);
        Assert.Equal(0.7f, ((ToneEncoding)session.Metadata.Encoding).DefaultTemperature);
        Assert.Equal(
            song.ToMidi(0),
            generator
                .Generate(
                    new GenerationRequest
                    {
                        Steps = 30,
                        Key = new MusicalKey(7, false),
                        Temperature = 0.7f,
                    }
                )[0]
                .ToMidi(0)
        );
    }

    [Theory]
    [InlineData(0, false, 0)]
    [InlineData(5, false, 0)]
    [InlineData(5, true, 0)]
    [InlineData(5, true, -2)]
    [InlineData(5, true, 0, true, true)]
    [InlineData(5, true, -2, true, true, 5, false)]
    [InlineData(5, true, -2, true, true, 5)]
    public void Export_with_int8_weights_checks_its_distributions_against_the_fp32_export_and_serves_through_the_library(
        int lengthGivenTime,
        bool barPosition,
        int lookbackBars,
        bool timing = false,
        bool timeGivenPlace = false,
        int pitchGivenTime = 0,
        bool timeInStep = true
    )
    {
        var checkpoint = TrainedCheckpoint(lengthGivenTime, barPosition, lookbackBars, timing, timeGivenPlace, pitchGivenTime);
        var int8 = _folder.File("int8.onnx");

        var (metadata, _, quantized) = ModelExport.Run(checkpoint, int8, quantize: true, timeInStep: timeInStep);

        Assert.True(quantized is { Passed: true, Steps: 256 }, quantized?.ToString());
        Assert.Equal(Int8Quantizer.Weights, metadata.Weights);
        using var session = GeneratorSession.Open(int8, new GeneratorSessionOptions(ExecutionProvider.Cpu));
        Assert.Equal(Int8Quantizer.Weights, session.Metadata.Weights);
        var request = new GenerationRequest { Steps = 40, Seed = 3 };
        Assert.Equal(new SongGenerator(session).Generate(request)[0].ToMidi(0), new SongGenerator(session).Generate(request)[0].ToMidi(0));
    }

    [Fact]
    public void A_length_head_given_the_time_starts_as_the_model_it_is_imported_from_and_learns_to_read_the_time()
    {
        var exported = _folder.File("apart.onnx");
        ModelExport.Run(TrainedCheckpoint(0), exported);
        using var apart = NewTrainer(Tiny with { PretrainingEpochs = 0, GeneratorFrom = exported });
        using var timed = NewTrainer(Tiny with { GeneratorFrom = exported, Model = Tiny.Model with { LengthGivenTime = 5 } });

        var (before, after) = (LengthsByTime(timed), LengthsByTime(apart));
        timed.RunEpoch();
        var learnt = LengthsByTime(timed);

        Assert.True(Gan(timed).TypedGenerator.LengthGivenTime);
        Assert.All(before, row => Assert.Equal(after[0], row, new FloatsWithin(1e-6f)));
        Assert.Contains(learnt, row => !row.SequenceEqual(learnt[0], new FloatsWithin(1e-3f)));
    }

    /// <summary>The first step's length logits of one song, given each time class: one row per class.</summary>
    private static float[][] LengthsByTime(Trainer trainer)
    {
        using var noGrad = no_grad();
        var (generator, vocabulary) = (Gan(trainer).TypedGenerator, Gan(trainer).Vocabulary);
        generator.eval();
        var (output, _) = generator.Step(full(1, 4, 0.5f), StartTone(trainer), generator.ZeroState(1, CPU));
        return
        [
            .. Enumerable
                .Range(0, vocabulary.TimeBins.Count)
                .Select(d => generator.Logits(output, ToneVocabulary.LengthHead, tensor(new long[] { d })).data<float>().ToArray()),
        ];
    }

    [Fact]
    public void A_generator_reading_the_bars_place_starts_as_the_model_it_is_imported_from_and_learns_to_read_it()
    {
        var exported = _folder.File("timed.onnx");
        ModelExport.Run(TrainedCheckpoint(5), exported);
        var settings = Tiny with { GeneratorFrom = exported, Model = Tiny.Model with { LengthGivenTime = 5, BarPosition = true } };
        using var positioned = NewTrainer(settings);
        using var timed = NewTrainer(settings with { Model = settings.Model with { BarPosition = false } });

        var (before, without) = (Logits(positioned, place: 0), Logits(timed, place: 0));
        Assert.Equal(without, Logits(positioned, place: 100), new FloatsWithin(1e-6f));
        Assert.Equal(without, before, new FloatsWithin(1e-6f));
        positioned.RunEpoch();
        Assert.NotEqual(Logits(positioned, place: 0), Logits(positioned, place: 100), new FloatsWithin(1e-4f));

        // The pitch logits of the first step, after the start tone at a given place in the bar.
        static float[] Logits(Trainer trainer, long place)
        {
            using var noGrad = no_grad();
            var generator = Gan(trainer).TypedGenerator;
            generator.eval();
            var start = StartTone(trainer);
            if (generator.BarPosition)
                start[0, ToneVocabulary.Heads.Count] = tensor(place);
            var (output, _) = generator.Step(full(1, 4, 0.5f), start, generator.ZeroState(1, CPU));
            return generator.Logits(output, ToneVocabulary.PitchHead, null).data<float>().ToArray();
        }
    }

    [Fact]
    public void A_generator_looking_back_starts_as_the_model_it_is_imported_from_and_learns_to_read_its_lookback()
    {
        var exported = _folder.File("bar.onnx");
        ModelExport.Run(TrainedCheckpoint(5, barPosition: true), exported);
        var model = Tiny.Model with { LengthGivenTime = 5, BarPosition = true };
        var settings = Tiny with { GeneratorFrom = exported, Model = model with { LookbackBars = 2 } };
        using var looking = NewTrainer(settings);
        using var positioned = NewTrainer(settings with { Model = model });

        var without = Logits(positioned, lookback: null);
        Assert.Equal(without, Logits(looking, lookback: null), new FloatsWithin(1e-6f));
        Assert.Equal(without, Logits(looking, lookback: [62, 48, 2, 60, 0, 1]), new FloatsWithin(1e-6f));
        looking.RunEpoch();
        Assert.NotEqual(Logits(looking, lookback: null), Logits(looking, lookback: [62, 48, 2, 60, 0, 1]), new FloatsWithin(1e-4f));

        // The pitch logits of the first step after the start tone, with a lookback written over its own (none).
        static float[] Logits(Trainer trainer, long[]? lookback)
        {
            using var noGrad = no_grad();
            var generator = Gan(trainer).TypedGenerator;
            generator.eval();
            var start = StartTone(trainer);
            if (lookback is not null)
                start[0, TensorIndex.Slice(ToneVocabulary.Heads.Count + 1)] = tensor(lookback);
            var (output, _) = generator.Step(full(1, 4, 0.5f), start, generator.ZeroState(1, CPU));
            return generator.Logits(output, ToneVocabulary.PitchHead, null).data<float>().ToArray();
        }
    }

    [Fact]
    public void A_generator_copying_its_lookback_starts_as_the_model_it_is_imported_from_and_learns_to_copy()
    {
        var exported = _folder.File("lookback.onnx");
        ModelExport.Run(TrainedCheckpoint(5, barPosition: true, lookbackBars: 2), exported);
        var model = Tiny.Model with { LengthGivenTime = 5, BarPosition = true, LookbackBars = 2 };
        var settings = Tiny with { GeneratorFrom = exported, Model = model with { LookbackCopy = true } };
        using var copying = NewTrainer(settings);
        using var looking = NewTrainer(settings with { Model = model });
        long[] lookback = [62, 12, 2, 60, 0, 1];

        Assert.Equal(Logits(looking, lookback), Logits(copying, lookback), new FloatsWithin(1e-6f));
        copying.RunEpoch();
        Assert.Contains(Gan(copying).TypedGenerator.Copy!.parameters(), p => p.abs().max().item<float>() > 0);

        // The pitch logits of the first step after the start tone, with a lookback written over its own (none).
        static float[] Logits(Trainer trainer, long[] lookback)
        {
            using var noGrad = no_grad();
            var generator = Gan(trainer).TypedGenerator;
            generator.eval();
            var start = StartTone(trainer);
            start[0, TensorIndex.Slice(ToneVocabulary.Heads.Count + 1)] = tensor(lookback);
            var (output, _) = generator.Step(full(1, 4, 0.5f), start, generator.ZeroState(1, CPU));
            return generator.Logits(output, ToneVocabulary.PitchHead, null, start).data<float>().ToArray();
        }
    }

    [Fact]
    public void A_generator_reading_its_songs_timing_and_its_time_given_the_place_starts_as_the_model_it_is_imported_from_and_learns_both()
    {
        var exported = _folder.File("positioned.onnx");
        ModelExport.Run(TrainedCheckpoint(5, barPosition: true), exported);
        var model = Tiny.Model with { LengthGivenTime = 5, BarPosition = true };
        var settings = Tiny with { GeneratorFrom = exported, Model = model with { Timing = true, TimeGivenPlace = true } };
        // Half the songs free: their onsets on a triplet grid.
        var free = Training.Take(16).Select(s => s with { Tones = [.. s.Tones.Select(t => t with { Onset = t.Onset * 2 / 3 })] });
        IReadOnlyList<Song> songs = [.. free, .. Training.Skip(16)];
        using var timed = Trainer.Create(settings, CPU, songs);
        timed.UseData(songs, Validation);
        using var positioned = NewTrainer(settings with { Model = model });

        Assert.Equal(0.5f, Gan(timed).MeteredShare);
        var without = Logits(positioned, SongTiming.Metered);
        Assert.Equal(without, Logits(timed, SongTiming.Metered), new FloatsWithin(1e-6f));
        Assert.Equal(without, Logits(timed, SongTiming.Free), new FloatsWithin(1e-6f));
        timed.RunEpoch();
        Assert.NotEqual(Logits(timed, SongTiming.Metered), Logits(timed, SongTiming.Free), new FloatsWithin(1e-4f));
        Assert.True(Gan(timed).TypedGenerator.TimeGivenPlace);
        var table = Gan(timed).TypedGenerator.state_dict()["placeTime.weight"];
        Assert.Equal([2 * ToneVocabulary.SixteenthSteps, Gan(timed).TypedGenerator.HeadSizes[ToneVocabulary.TimeHead]], table.shape);
        Assert.True(table.abs().max().item<float>() > 0);

        // The time logits of the first step after the start tone of a song of the given timing.
        static float[] Logits(Trainer trainer, SongTiming timing)
        {
            using var noGrad = no_grad();
            var generator = Gan(trainer).TypedGenerator;
            generator.eval();
            var start = tensor(Gan(trainer).Encoding(1, 1).Feedback(timing).Previous).unsqueeze(0);
            var (output, _) = generator.Step(full(1, 4, 0.5f), start, generator.ZeroState(1, CPU));
            return generator.Logits(output, ToneVocabulary.TimeHead, null, start).data<float>().ToArray();
        }
    }

    [Fact]
    public void Tables_that_start_at_zero_learn_at_their_own_rate_and_resume_so()
    {
        var model = Tiny.Model with { LengthGivenTime = 5, BarPosition = true, Timing = true, TimeGivenPlace = true };
        var settings = Tiny with { Model = model, TableLearningRateFactor = 10 };
        var checkpoint = _folder.File("tables.zip");
        using (var trainer = NewTrainer(settings))
        {
            trainer.RunEpoch();
            var groups = trainer.GeneratorOptimizer.ParamGroups.ToList();
            Assert.Equal([0.01, 0.1], groups.Select(g => Math.Round(g.LearningRate, 12)));
            var tables = Gan(trainer).TypedGenerator.named_parameters().Where(p => trainer.Family.StartsAtZero(p.name)).Select(p => p.name);
            Assert.Equal(["position.weight", "timing.weight", "placeTime.weight"], tables);
            Checkpoint.Save(trainer, checkpoint, "synthetic", "test");
        }

        using var resumed = Checkpoint.Load(checkpoint, CPU);
        resumed.UseData(Training, Validation);
        resumed.RunEpoch();

        Assert.Equal([0.001, 0.01], resumed.GeneratorOptimizer.ParamGroups.Select(g => Math.Round(g.LearningRate, 12)));
    }

    [Fact]
    public void Training_windows_carry_the_timing_of_the_song_they_are_cut_from()
    {
        var vocabulary = ToneVocabulary.FromSongs(Training.Select(s => s.Tones), 4, 3, 4);
        var encoding = new ToneEncoding(vocabulary, LengthGivenTime: true, BarPosition: true, MeteredShare: 0.5f);
        var free = Training.Select(s => s with { Tones = [.. s.Tones.Select(t => t with { Onset = t.Onset * 2 / 3 })] }).ToList();

        long[] LastColumns(IReadOnlyList<Song> songs) =>
            [
                .. new ToneWindows(songs, encoding, 16, keyNormalisation: false)
                    .Batches(8, new Inference.Randomness.SeededRandom(3))
                    .First()
                    .Where((_, i) => i % 11 == 10),
            ];

        Assert.All(LastColumns(Training), c => Assert.Equal((long)SongTiming.Metered, c));
        Assert.All(LastColumns(free), c => Assert.Equal((long)SongTiming.Free, c));
    }

    [Fact]
    public void With_onset_places_a_windows_places_in_the_bar_are_its_tones_own_where_the_classes_added_up_drift_after_a_time_no_bin_holds()
    {
        var vocabulary = new ToneVocabulary([0, 0.25, 0.5, 1], [0.5, 1], [64]);
        var encoding = new ToneEncoding(vocabulary, LengthGivenTime: true, BarPosition: true);
        // Three tones on the beats, a rest of 2¾ quarters (the nearest bin: 1 quarter), then a tone every quarter a sixteenth
        // before the beat: 36 steps into each quarter of 48.
        var tones = Enumerable.Range(0, 40).Select(i => new Tone(i < 3 ? i : 4.75 + (i - 3), 0.5, 60 + i % 12, 64)).ToList();
        var songs = Enumerable.Range(0, 4).Select(i => new Song($"song {i}", tones, TempoMap.Default)).ToList();

        long[] Batch(bool onsetPlaces) =>
            new ToneWindows(songs, encoding, 16, keyNormalisation: false, onsetPlaces: onsetPlaces)
                .Batches(4, new Inference.Randomness.SeededRandom(5))
                .First();
        const int width = 10; // the song's tone (4), the time to learn, then the row read: its 4 classes and its place in the bar
        var (own, addedUp) = (Batch(true), Batch(false));
        HashSet<long> PlacesInQuarter(long[] batch) => [.. batch.Where((_, i) => i % width == width - 1).Select(p => p % 48)];

        Assert.Equal(own.Where((_, i) => i % width < 5), addedUp.Where((_, i) => i % width < 5)); // the same tones and times
        Assert.Contains(36L, PlacesInQuarter(own));
        Assert.Subset(new HashSet<long> { 0, 36 }, PlacesInQuarter(own));
        Assert.Equal([0L], PlacesInQuarter(addedUp));
    }

    [Fact]
    public void In_recovery_windows_the_rows_read_stray_from_the_grid_and_the_time_learnt_after_comes_back_while_the_song_is_kept()
    {
        // Every time from 0 to 2 quarters a class, so that any move is one.
        var vocabulary = new ToneVocabulary([.. Enumerable.Range(0, 97).Select(s => s / 48.0)], [0.5, 1], [64]);
        var encoding = new ToneEncoding(vocabulary, LengthGivenTime: true, BarPosition: true);
        var steps = vocabulary.TimeSteps;
        var plain = new ToneWindows(Training, encoding, 16, keyNormalisation: false).Batches(8, new Inference.Randomness.SeededRandom(3)).First();
        var strayed = new ToneWindows(Training, encoding, 16, keyNormalisation: false, recovery: 1)
            .Batches(8, new Inference.Randomness.SeededRandom(3))
            .First();
        const int width = 10; // the song's tone (4), the time to learn, then the row read: its 4 classes and its place in the bar
        var strays = 0;

        Assert.NotEqual(plain, strayed);
        for (var w = 0; w < 8; w++)
        {
            long At(long[] batch, int t, int column) => batch[(w * 16 + t) * width + column];
            long Read(long[] batch, int t) => steps[(int)At(batch, t, 5 + ToneVocabulary.TimeHead)];
            long Learnt(long[] batch, int t) => steps[(int)At(batch, t, 4)];
            var changed = Enumerable.Range(0, 16).Where(t => Read(plain, t) != Read(strayed, t)).ToList();
            Assert.All(Enumerable.Range(0, 16 * 4), c => Assert.Equal(At(plain, c / 4, c % 4), At(strayed, c / 4, c % 4))); // the song's own
            if (changed.Count == 0)
                continue;
            strays++;
            Assert.Equal(2, changed.Count);
            var at = changed[0];
            Assert.Equal(at + 1, changed[1]);
            Assert.NotEqual(0, At(strayed, at, 9) % ToneVocabulary.SixteenthSteps); // read off the grid
            Assert.Equal(0, At(plain, at, 9) % ToneVocabulary.SixteenthSteps); // where it was on it
            Assert.Equal(Read(plain, at) + Read(plain, at + 1), Read(strayed, at) + Read(strayed, at + 1));
            Assert.Equal(At(plain, at + 1, 9), At(strayed, at + 1, 9)); // back where the song has it
            Assert.InRange(Math.Abs(Read(strayed, at) - Read(plain, at)), 1, 11);
            Assert.Equal(Learnt(plain, at), Learnt(strayed, at)); // the stray is never a time to learn
            Assert.Equal(Read(strayed, at + 1), Learnt(strayed, at + 1)); // the way back is
            Assert.All(Enumerable.Range(0, 16).Where(t => t != at + 1), t => Assert.Equal(Learnt(plain, t), Learnt(strayed, t)));
        }
        Assert.True(strays > 0);
        Assert.Equal(plain.Length, strayed.Length);
    }

    [Fact]
    public void The_discriminator_reads_where_each_tone_before_started_in_its_sixteenth_and_the_songs_timing_stray_windows_or_not()
    {
        var model = Tiny.Model with { LengthGivenTime = 5, BarPosition = true, Timing = true, DiscriminatorPlace = true };
        // Every time from 0 to 2 quarters a class, so that windows can stray.
        var vocabulary = new ToneVocabulary([.. Enumerable.Range(0, 97).Select(s => s / 48.0)], [0.5, 1], [64]);
        using var gan = new ToneGan(Tiny with { Model = model, RecoveryWindows = 1 }, vocabulary, CPU, meteredShare: 0.5f);
        var free = Training.Select(s => s with { Tones = [.. s.Tones.Select(t => t with { Onset = t.Onset * 2 / 3 })] });
        var songs = Training.Concat(free).ToList();
        Tensor Window(bool training) => gan.Windows(songs, training).Epoch(16, 16, new Inference.Randomness.SeededRandom(5)).First()(CPU);
        var (plain, strayed) = (Window(training: false), Window(training: true));
        var classes = gan.Vocabulary.Sizes.Sum();

        var (read, readStrayed) = (gan.DiscriminatorReads(plain), gan.DiscriminatorReads(strayed));

        Assert.Equal([16L, 16L, classes + 12 + 2], read.shape);
        Assert.False(Same(plain, strayed)); // some windows stray...
        Assert.True(Same(read, readStrayed)); // ...and the discriminator still reads the song as it is
        var place = read[.., 1.., classes..(classes + 12)].argmax(2);
        var tracked = plain[.., .., ToneVocabulary.Heads.Count + 1 + ToneEncoding.PositionColumn]
            .narrow(1, 0, 15)
            .remainder(ToneVocabulary.SixteenthSteps);
        Assert.True(tracked.ne(0).any().item<bool>()); // the free songs' tones start off the grid
        Assert.True(Same(place, tracked)); // where the row before says the tone before started
        Assert.True(Same(read[.., .., (classes + 12)..].argmax(2), plain[.., .., -1]));
        Assert.True(plain[.., 0, -1].ne(0).any().item<bool>() && plain[.., 0, -1].eq(0).any().item<bool>()); // songs of both timings
        Assert.True(Same(read[.., .., ..classes], gan.TypedDiscriminator.OneHot(plain.narrow(2, 0, ToneVocabulary.Heads.Count))));
    }

    [Fact]
    public void The_discriminator_reads_each_tones_interval_from_the_tone_before_within_two_octaves()
    {
        using var gan = new ToneGan(
            Tiny with
            {
                Model = Tiny.Model with { DiscriminatorIntervals = true },
            },
            ToneVocabulary.FromSongs(Training.Select(s => s.Tones), 4, 3, 4),
            CPU
        );
        var window = gan.Windows(Training, training: false).Epoch(8, 16, new Inference.Randomness.SeededRandom(5)).First()(CPU);
        var classes = gan.Vocabulary.Sizes.Sum();

        var read = gan.DiscriminatorReads(window);

        Assert.Equal([8L, 16L, classes + ToneDiscriminator.IntervalClasses], read.shape);
        var pitches = window[.., .., ToneVocabulary.PitchHead];
        var interval = pitches.narrow(1, 1, 15) - pitches.narrow(1, 0, 15);
        var intervals = read[.., 1.., classes..];
        var within = interval.abs().le(ToneDiscriminator.IntervalReach);
        Assert.True(interval.ne(0).any().item<bool>());
        Assert.True(Same(intervals.sum(2), within.to_type(ScalarType.Float32)));
        Assert.True(Same(intervals.argmax(2).masked_select(within), (interval + ToneDiscriminator.IntervalReach).masked_select(within)));
        Assert.True(read[.., 0, classes..].eq(0).all().item<bool>()); // nothing before the first tone
        Assert.True(Same(read[.., .., ..classes], gan.TypedDiscriminator.OneHot(window.narrow(2, 0, ToneVocabulary.Heads.Count))));
    }

    [Fact]
    public void A_pitch_head_that_reads_the_time_is_drawn_after_it_from_logits_that_change_with_it_and_keeps_the_chords_order()
    {
        var vocabulary = ToneVocabulary.FromSongs(Training.Select(s => s.Tones), 4, 3, 4);
        using var gan = new ToneGan(Tiny with { Model = Tiny.Model with { PitchGivenTime = 5 } }, vocabulary, CPU);
        var generator = gan.TypedGenerator;
        using (no_grad())
        {
            foreach (var (name, parameter) in generator.named_parameters().Where(p => p.name.StartsWith("timedPitch.", StringComparison.Ordinal)))
                parameter.normal_();
        }
        var (output, _) = generator.Step(rand(1, 4), tensor(gan.Encoding(1, 1).StartTone).unsqueeze(0), generator.ZeroState(1, CPU));
        float[] Pitch(long time) => generator.Logits(output, ToneVocabulary.PitchHead, tensor(new[] { time })).data<float>().ToArray();

        Assert.Equal(
            [ToneVocabulary.TimeHead, ToneVocabulary.PitchHead, ToneVocabulary.LengthHead, ToneVocabulary.VelocityHead],
            generator.DrawOrder
        );
        Assert.NotEqual(Pitch(0), Pitch(1));
        Assert.Throws<ArgumentNullException>(() => generator.Logits(output, ToneVocabulary.PitchHead, null));
        var after60 = tensor(gan.Encoding(1, 1).StartTone).unsqueeze(0);
        after60[0, ToneVocabulary.PitchHead] = tensor(60L);
        var zero = gan.Vocabulary.TimeSteps.ToList().IndexOf(0);
        float[] After60(long time) => generator.Logits(output, ToneVocabulary.PitchHead, tensor(new[] { time }), after60).data<float>().ToArray();
        Assert.All(After60(zero)[..61], l => Assert.Equal(float.NegativeInfinity, l)); // a chord's next key is above
        Assert.All(After60(zero)[61..], l => Assert.True(float.IsFinite(l)));
        Assert.All(After60(zero == 0 ? 1 : 0), l => Assert.True(float.IsFinite(l))); // a later onset's is anywhere
        var (tones, _) = gan.FreeRun(4, 12, 1);
        Assert.Equal([4L, 12L, 4L], tones.shape);
        var heads = ToneVocabulary.Heads.Count;
        var drawn = tones.data<long>().ToArray();
        for (var i = heads; i < drawn.Length; i += heads)
            if (i % (12 * heads) != 0 && drawn[i + ToneVocabulary.TimeHead] == zero && drawn[i - heads] < ToneVocabulary.Pitches - 1)
                Assert.True(drawn[i] > drawn[i - heads], $"tone {i / heads}: {drawn[i]} at the onset of {drawn[i - heads]}");
    }

    [Fact]
    public void A_model_whose_pitch_reads_the_time_imported_and_exported_again_is_the_same_graph_and_a_generator_without_it_is_refused()
    {
        var onnx = _folder.File("pitched.onnx");
        var (metadata, _, _) = ModelExport.Run(TrainedCheckpoint(5, true, -2, true, true, 5), onnx);
        var model = Tiny.Model with
        {
            LengthGivenTime = 5,
            BarPosition = true,
            LookbackBars = 2,
            LookbackCopy = true,
            Timing = true,
            TimeGivenPlace = true,
        };
        var vocabulary = metadata.Tones().Vocabulary;
        using var pitched = new ToneGenerator(model with { PitchGivenTime = 5 }, vocabulary.Sizes, vocabulary.TimeSteps);
        using var apart = new ToneGenerator(model, vocabulary.Sizes, vocabulary.TimeSteps);
        var bytes = File.ReadAllBytes(onnx);

        OnnxImport.LoadWeights(bytes, pitched);

        Assert.Equal(ModelProto.Parser.ParseFrom(bytes).Graph, ModelProto.Parser.ParseFrom(OnnxExporter.Export(pitched, metadata)).Graph);
        var refused = Assert.Throws<InvalidDataException>(() => OnnxImport.LoadWeights(bytes, apart));
        Assert.Contains("pitch_given_time", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_version_7_model_written_again_in_version_8_keeps_its_sampling_and_makes_the_same_songs_at_any_batch()
    {
        var (v7, v8) = (_folder.File("v7.onnx"), _folder.File("v8.onnx"));
        var checkpoint = TrainedCheckpoint(5, true, -2, true, true, 5);
        var settings = _folder.File("settings.json");
        File.WriteAllText(settings, System.Text.Json.JsonSerializer.Serialize(Checkpoint.ReadSettings(checkpoint), TrainingSettings.Json));
        ModelExport.Run(checkpoint, v7, defaultTemperature: 0.9f, timeInStep: false);

        var (metadata, parity, _) = ModelExport.FromModel(v7, settings, v8);

        Assert.All(parity, p => Assert.True(p.Passed && p.NotesAgreeing == p.NotesCompared, p.ToString()));
        Assert.Equal(ModelContract.TimeInStepVersion, metadata.ContractVersion);
        using var before = GeneratorSession.Open(v7, new GeneratorSessionOptions(ExecutionProvider.Cpu));
        using var after = GeneratorSession.Open(v8, new GeneratorSessionOptions(ExecutionProvider.Cpu));
        Assert.Equal(((ToneEncoding)before.Metadata.Encoding) with { TimeInStep = true }, after.Metadata.Encoding);
        Assert.Equal(before.Metadata with { Encoding = after.Metadata.Encoding }, after.Metadata);
        // The same draws: the time at each song's uniform number, in the graph rather than the host, then the rest as before.
        ulong[] seeds = [.. Enumerable.Range(0, 6).Select(i => (ulong)(7 * i + 1))];
        var alone = seeds.SelectMany(seed => after.RunTones(1, 120, [seed], 0.9f, 1f, null, topP: 0.95f)).ToArray();
        Assert.Equal(before.RunTones(seeds.Length, 120, seeds, 0.9f, 1f, null, topP: 0.95f), alone);
        Assert.Equal(alone, after.RunTones(seeds.Length, 120, seeds, 0.9f, 1f, null, topP: 0.95f));
    }

    [Fact]
    public void The_games_draw_is_an_exact_draw_at_its_temperature_and_the_discriminator_reads_it()
    {
        var logits = tensor(new[] { 1f, 0.5f, -1f }).unsqueeze(0).expand(20000, -1);
        var source = new TorchSharp.torch.Generator(7);

        var (draws, read) = ToneGan.Draw(logits, 0.5, 1, straightThrough: true, source);
        var (cold, _) = ToneGan.Draw(logits, 1e-3, 1, straightThrough: false, source);

        var expected = nn.functional.softmax(logits[0] / 0.5, 0).data<float>().ToArray();
        var counts = draws.bincount(null, 3).to_type(ScalarType.Float32) / 20000;
        Assert.All(Enumerable.Range(0, 3), c => Assert.Equal(expected[c], counts[c].item<float>(), 0.01));
        Assert.True(cold.eq(0).all().item<bool>()); // near 0: the likeliest, whatever the noise
        Assert.True(Same(read, nn.functional.one_hot(draws, 3).to_type(ScalarType.Float32)));
    }

    [Fact]
    public void Relaxed_pitches_read_as_intervals_weigh_each_pair_of_pitches_and_pass_the_gradient_to_both_tones()
    {
        var pitches = zeros(1, 2, ToneVocabulary.Pitches);
        pitches[0, 0, 60] = tensor(1f);
        pitches[0, 1, 64] = tensor(0.25f); // a major third up
        pitches[0, 1, 40] = tensor(0.5f); // 20 semitones down
        pitches[0, 1, 100] = tensor(0.25f); // beyond two octaves
        pitches.requires_grad_(true);

        var intervals = ToneDiscriminator.Intervals(pitches);
        intervals[0, 1, ToneDiscriminator.IntervalReach + 4].backward();

        var expected = new float[ToneDiscriminator.IntervalClasses];
        expected[ToneDiscriminator.IntervalReach + 4] = 0.25f;
        expected[ToneDiscriminator.IntervalReach - 20] = 0.5f;
        Assert.Equal(expected, intervals[0, 1].detach().data<float>().ToArray());
        Assert.Equal(new float[ToneDiscriminator.IntervalClasses], intervals[0, 0].detach().data<float>().ToArray());
        // A third up from the first tone's every pitch to the second's: each side's weight is the other side's.
        var gradient = zeros(1, 2, ToneVocabulary.Pitches);
        (gradient[0, 0, 60], gradient[0, 0, 36], gradient[0, 0, 96]) = (tensor(0.25f), tensor(0.5f), tensor(0.25f));
        gradient[0, 1, 64] = tensor(1f);
        Assert.True(Same(gradient, pitches.grad!));
    }

    [Fact]
    public void A_discriminator_that_reads_the_summary_is_standardised_by_a_whole_epoch_of_real_windows_taken_batch_by_batch()
    {
        var settings = Tiny with { Model = Tiny.Model with { DiscriminatorSummary = true }, PretrainingEpochs = 0 };
        using var game = NewTrainer(settings);
        var d = (ToneDiscriminator)game.Discriminator;
        var batches = Gan(game).Windows(Training, training: false).Epoch(settings.BatchSize, settings.SequenceLength, new(settings.Seed)).ToList();
        var all = cat([.. batches.Select(w => d.Summary(d.OneHot(w(CPU).narrow(2, 0, ToneVocabulary.Heads.Count))))]);
        var buffers = d.named_buffers().ToDictionary(b => b.name, b => b.buffer);

        Assert.True(batches.Count > 1);
        Assert.True(buffers["summaryMean"].allclose(all.mean([0])));
        Assert.True(buffers["summaryMean"].abs().sum().item<float>() > 0);
        Assert.True(buffers["summaryScale"].ne(1).any().item<bool>());
    }

    [Fact]
    public void A_game_whose_discriminator_reads_the_place_intervals_and_summary_starts_from_a_generator_trained_without_them_and_updates_both()
    {
        var from = TrainedCheckpoint(lengthGivenTime: 5, barPosition: true, timing: true);
        var model = Tiny.Model with
        {
            LengthGivenTime = 5,
            BarPosition = true,
            Timing = true,
            DiscriminatorPlace = true,
            DiscriminatorIntervals = true,
            DiscriminatorSummary = true,
        };
        using var game = NewTrainer(Tiny with { Model = model, PretrainingEpochs = 0, GeneratorFrom = from, RecoveryWindows = 0.5 });
        float[] Weights(nn.Module module) => [.. module.parameters().SelectMany(p => p.data<float>().ToArray())];
        var (generator, discriminator) = (Weights(game.Generator), Weights(game.Discriminator));

        var result = game.RunEpoch();

        Assert.Equal("adversarial", result.Phase);
        Assert.NotEqual(generator, Weights(game.Generator));
        Assert.NotEqual(discriminator, Weights(game.Discriminator));
        Assert.Throws<ArgumentException>(() =>
            Trainer.Create(Tiny with { Model = model with { LengthGivenTime = 4 }, GeneratorFrom = from }, CPU, Training)
        );
    }

    [Fact]
    public void Training_windows_carry_the_lookback_the_host_builds_from_the_same_tones()
    {
        var vocabulary = ToneVocabulary.FromSongs(Training.Select(s => s.Tones), 4, 3, 4);
        var encoding = new ToneEncoding(vocabulary, LengthGivenTime: true, BarPosition: true, LookbackBars: 2);
        var windows = new ToneWindows(Training, encoding, 16, keyNormalisation: false);
        var heads = ToneVocabulary.Heads.Count;

        var batch = windows.Batches(8, new Inference.Randomness.SeededRandom(3)).First();

        var width = heads + 1 + 11;
        Assert.Equal(8 * 16 * width, batch.Length);
        var window = batch.AsSpan(0, 16 * width).ToArray();
        var rows = Enumerable.Range(0, 16).Select(t => window.Skip(t * width + heads + 1).Take(11).ToArray()).ToList();
        var tones = Enumerable.Range(0, 16).Select(t => window.Skip(t * width).Take(heads).Select(c => (int)c).ToArray()).ToList();
        var feedback = new ToneFeedback(encoding, (int)((rows[0][4] - vocabulary.TimeSteps[tones[0][ToneVocabulary.TimeHead]] + 192) % 192));
        foreach (var (tone, t) in tones.Select((tone, t) => (tone, t)))
        {
            feedback.Add(tone);
            Assert.Equal(feedback.Previous, rows[t]);
        }
        Assert.Contains(rows, row => row[5] != ToneFeedback.NoPitch);
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    /// <summary>One song's start tone, as the trainer's generator reads it.</summary>
    private static Tensor StartTone(Trainer trainer) => tensor(Gan(trainer).Encoding(1, 1).StartTone).unsqueeze(0);

    private static ModelMetadata Metadata(byte[] onnx) =>
        ModelMetadata.Parse(ModelProto.Parser.ParseFrom(onnx).MetadataProps.ToDictionary(p => p.Key, p => p.Value));

    private sealed class FloatsWithin(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }

    /// <summary>A tiny tone model after one epoch, saved as a checkpoint to export.</summary>
    private string TrainedCheckpoint(
        int lengthGivenTime = 0,
        bool barPosition = false,
        int lookbackBars = 0,
        bool timing = false,
        bool timeGivenPlace = false,
        int pitchGivenTime = 0,
        bool songNoise = false
    )
    {
        var checkpoint = _folder.File(
            $"run-{lengthGivenTime}-{barPosition}-{lookbackBars}-{timing}-{timeGivenPlace}-{pitchGivenTime}-{songNoise}.zip"
        );
        var model = Tiny.Model with
        {
            LengthGivenTime = lengthGivenTime,
            BarPosition = barPosition,
            LookbackBars = Math.Abs(lookbackBars),
            LookbackCopy = lookbackBars < 0,
            Timing = timing,
            TimeGivenPlace = timeGivenPlace,
            PitchGivenTime = pitchGivenTime,
            SongNoise = songNoise,
        };
        using var trainer = NewTrainer(Tiny with { Model = model });
        // With the bar's place read, one epoch of the game too, so that the place's (and lookback's) embeddings have left 0.
        trainer.RunEpoch();
        if (barPosition)
            trainer.RunEpoch();
        Checkpoint.Save(trainer, checkpoint, "synthetic", "test");
        return checkpoint;
    }

    public void Dispose() => _folder.Dispose();
}
