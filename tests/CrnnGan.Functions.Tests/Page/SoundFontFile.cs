using System.Text;

namespace CrnnGan.Functions.Tests.Page;

/// <summary>The presets of a SoundFont 2 file, read from its pdta list's phdr chunk (SoundFont 2.04, section 7.2).</summary>
public static class SoundFontFile
{
    public static IReadOnlyList<(int Bank, int Program, string Name)> Presets(byte[] bytes)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes));
        if (new string(reader.ReadChars(4)) != "RIFF" || reader.ReadInt32() <= 0 || new string(reader.ReadChars(4)) != "sfbk")
            throw new InvalidDataException("not a SoundFont 2 file");
        while (reader.BaseStream.Position + 12 <= bytes.Length)
        {
            var (id, size, list) = (new string(reader.ReadChars(4)), reader.ReadInt32(), new string(reader.ReadChars(4)));
            if (id == "LIST" && list == "pdta")
            {
                if (new string(reader.ReadChars(4)) != "phdr")
                    throw new InvalidDataException("the pdta list does not start with phdr");
                var records = reader.ReadInt32() / 38 - 1; // the last record only marks the end
                return
                [
                    .. Enumerable
                        .Range(0, records)
                        .Select(_ =>
                        {
                            var name = Encoding.ASCII.GetString(reader.ReadBytes(20)).Split('\0')[0];
                            var (program, bank) = (reader.ReadUInt16(), reader.ReadUInt16());
                            reader.ReadBytes(14);
                            return ((int)bank, (int)program, name);
                        }),
                ];
            }
            reader.BaseStream.Position += size - 4;
        }
        throw new InvalidDataException("no pdta list");
    }
}
