using CrnnGan.Inference.Generation;

// One song from the model the package bundles, written as a MIDI file; the same seed gives the same bytes.
var path = args.Length > 0 ? args[0] : "song.mid";
using var session = BundledModel.Open();
var song = new SongGenerator(session).Generate(new GenerationRequest { Steps = 256, Seed = 42 })[0];
File.WriteAllBytes(path, song.ToMidi(program: 0));
Console.WriteLine($"{path}: {song.Song.Tones.Count} tones in {song.Key}, {song.Song.LengthInSeconds:0.0} s");
