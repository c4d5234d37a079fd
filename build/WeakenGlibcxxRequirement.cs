// An MSBuild task compiled by RoslynCodeTaskFactory (see TorchSharpGlibcxx.targets), which builds against
// .NET Standard 2.0: hence no spans here.
//
// TorchSharp 0.107.0's libLibTorchSharp.so was linked against GCC 13's libstdc++ and records a need for
// the symbol version GLIBCXX_3.4.32. Debian 12 and Ubuntu 22.04 ship libstdc++ up to GLIBCXX_3.4.30, so
// the dynamic loader refuses the library. The only symbol bound to that version is
// _ZSt21ios_base_library_initv, a link-time marker that is never called. Marking that single version
// requirement weak (VER_FLG_WEAK in its Elf64_Vernaux entry) lets the loader accept the library while
// every other requirement stays strict. The copy in the build output is patched, never the NuGet cache.
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class WeakenGlibcxxRequirement : Task
{
    const string Version = "GLIBCXX_3.4.32";
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    [Required]
    public ITaskItem[] Libraries { get; set; } = Array.Empty<ITaskItem>();

    public override bool Execute()
    {
        if (Libraries.Length == 0)
            return true;
        if (SystemLibStdCxxHasVersion())
        {
            Log.LogMessage(MessageImportance.Low, $"System libstdc++ provides {Version}; TorchSharp needs no patch.");
            return true;
        }
        foreach (var item in Libraries)
        {
            var path = item.GetMetadata("FullPath");
            try
            {
                var bytes = File.ReadAllBytes(path);
                if (!MarkWeak(bytes, out var message))
                {
                    Log.LogMessage(MessageImportance.Low, $"{path}: {message}");
                    continue;
                }
                var temporary = path + ".patching";
                File.WriteAllBytes(temporary, bytes);
                File.Replace(temporary, path, null);
                Log.LogMessage(MessageImportance.High, $"Marked the {Version} requirement weak in {path} (system libstdc++ lacks it).");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                Log.LogError($"Could not patch {path}: {e.Message}");
            }
        }
        return !Log.HasLoggedErrors;
    }

    static bool SystemLibStdCxxHasVersion()
    {
        string[] directories =
        {
            "/usr/lib/x86_64-linux-gnu",
            "/lib/x86_64-linux-gnu",
            "/usr/lib/aarch64-linux-gnu",
            "/lib/aarch64-linux-gnu",
            "/usr/lib64",
            "/lib64",
            "/usr/lib",
            "/lib",
        };
        var needle = Encoding.ASCII.GetBytes(Version + "\0");
        foreach (var directory in directories)
        {
            var candidate = Path.Combine(directory, "libstdc++.so.6");
            if (File.Exists(candidate))
                return Contains(File.ReadAllBytes(candidate), needle);
        }
        return false;
    }

    // Returns true when the file was changed; message says why not otherwise.
    static bool MarkWeak(byte[] elf, out string message)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("not a 64-bit little-endian ELF file");

        var sectionHeaders = (long)U64(elf, 0x28);
        int sectionHeaderSize = U16(elf, 0x3A),
            sectionCount = U16(elf, 0x3C);
        for (var i = 0; i < sectionCount; i++)
        {
            var header = (int)(sectionHeaders + (long)i * sectionHeaderSize);
            if (U32(elf, header + 4) != ShtGnuVerneed)
                continue;
            var offset = (int)U64(elf, header + 0x18);
            var linkedStrings = (int)U32(elf, header + 0x28);
            var stringsHeader = (int)(sectionHeaders + (long)linkedStrings * sectionHeaderSize);
            var strings = (int)U64(elf, stringsHeader + 0x18);

            // Elf64_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32.
            for (var need = offset; ; )
            {
                int count = U16(elf, need + 2);
                var aux = need + (int)U32(elf, need + 8);
                // Elf64_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32.
                for (var j = 0; j < count; j++)
                {
                    if (ReadString(elf, strings + (int)U32(elf, aux + 8)) == Version)
                    {
                        var flags = U16(elf, aux + 4);
                        if ((flags & VerFlgWeak) != 0)
                        {
                            message = $"the {Version} requirement is already weak";
                            return false;
                        }
                        Array.Copy(BitConverter.GetBytes((ushort)(flags | VerFlgWeak)), 0, elf, aux + 4, 2);
                        message = "patched";
                        return true;
                    }
                    aux += (int)U32(elf, aux + 12);
                }
                var next = U32(elf, need + 12);
                if (next == 0)
                    break;
                need += (int)next;
            }
        }
        message = $"no {Version} requirement";
        return false;
    }

    static bool Contains(byte[] haystack, byte[] needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Length; i++)
        {
            var j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j])
                j++;
            if (j == needle.Length)
                return true;
        }
        return false;
    }

    static ushort U16(byte[] b, int at) => BitConverter.ToUInt16(b, at);

    static uint U32(byte[] b, int at) => BitConverter.ToUInt32(b, at);

    static ulong U64(byte[] b, int at) => BitConverter.ToUInt64(b, at);

    static string ReadString(byte[] b, int at)
    {
        var end = Array.IndexOf(b, (byte)0, at);
        return Encoding.ASCII.GetString(b, at, end - at);
    }
}
