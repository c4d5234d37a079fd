namespace CrnnGan.Functions.Tests.Page;

/// <summary>A RIFF WAVE file read as the tests need it: its format, and its samples mixed to mono in [-1, 1].</summary>
public sealed record WaveFile(int Channels, int SampleRate, int BitsPerSample, float[] Mono)
{
    public double Seconds => (double)Mono.Length / SampleRate;

    /// <summary>Reads 16-bit or 32-bit PCM, or 32-bit float; anything else, or a malformed file, is an <see cref="InvalidDataException"/>.</summary>
    public static WaveFile Read(byte[] bytes)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes));
        if (new string(reader.ReadChars(4)) != "RIFF" || reader.ReadInt32() != bytes.Length - 8 || new string(reader.ReadChars(4)) != "WAVE")
            throw new InvalidDataException("not a RIFF WAVE file of its stated size");
        (int Format, int Channels, int Rate, int Bits)? format = null;
        while (reader.BaseStream.Position + 8 <= bytes.Length)
        {
            var (id, size) = (new string(reader.ReadChars(4)), reader.ReadInt32());
            var start = reader.BaseStream.Position;
            if (id == "fmt ")
            {
                var (tag, channels, rate) = (reader.ReadInt16(), reader.ReadInt16(), reader.ReadInt32());
                reader.ReadBytes(6);
                format = (tag, channels, rate, reader.ReadInt16());
            }
            else if (id == "data" && format is { } f)
                return new WaveFile(f.Channels, f.Rate, f.Bits, Mix(reader.ReadBytes(size), f.Format, f.Channels, f.Bits));
            reader.BaseStream.Position = start + size + (size & 1);
        }
        throw new InvalidDataException("no fmt chunk before the data chunk");
    }

    private static float[] Mix(byte[] data, int format, int channels, int bits)
    {
        var width = bits / 8;
        var frames = data.Length / (width * channels);
        var mono = new float[frames];
        for (var i = 0; i < frames; i++)
        for (var c = 0; c < channels; c++)
        {
            var at = (i * channels + c) * width;
            mono[i] +=
                (format, bits) switch
                {
                    (1, 16) => BitConverter.ToInt16(data, at) / 32768f,
                    (1, 32) => BitConverter.ToInt32(data, at) / 2147483648f,
                    (3, 32) => BitConverter.ToSingle(data, at),
                    _ => throw new InvalidDataException($"format {format} at {bits} bits is not read here"),
                } / channels;
        }
        return mono;
    }
}
