using System.Buffers.Binary;
using System.Globalization;

namespace LogQueue.Engine.Tests.Support;

/// <summary>
/// Reads and damages segment files from outside the engine, by the documented layout (a 64-byte header,
/// then records of [u32 length][u32 crc][i64 sequence]..., each padded to 8 bytes). Deliberately does not
/// use the engine's own parser, so a test that damages a file does not trust the code under test.
/// </summary>
internal static class SegmentFile
{
    public const int HeaderSize = 64;
    public const int RecordHeaderSize = 40;

    /// <summary>The live segment files of a log directory, oldest first.</summary>
    public static IReadOnlyList<string> List(string directory) =>
        [.. Directory.GetFiles(directory, "*.seg").Order(StringComparer.Ordinal)];

    /// <summary>The base sequence a segment file is named by.</summary>
    public static long BaseSequence(string path) =>
        long.Parse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>Where the records of a segment file are, by walking the length fields.</summary>
    public static IReadOnlyList<RecordLocation> Records(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var records = new List<RecordLocation>();
        int position = HeaderSize;
        while (position + RecordHeaderSize <= bytes.Length)
        {
            int length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(position));
            if (length == 0)
            {
                break;
            }

            long sequence = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(position + 8));
            int payloadStart = position + RecordHeaderSize;
            records.Add(new RecordLocation(position, length, sequence, payloadStart));
            position += Align(length);
        }

        return records;
    }

    public static int Align(int length) => (length + 7) & ~7;

    /// <summary>XORs the byte at <paramref name="offset"/> with <paramref name="mask"/> (non-zero).</summary>
    public static void FlipByte(string path, long offset, byte mask)
    {
        ArgumentOutOfRangeException.ThrowIfZero(mask);
        using FileStream file = File.Open(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset;
        int value = file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)(value ^ mask));
    }

    /// <summary>Overwrites bytes at <paramref name="offset"/>.</summary>
    public static void Write(string path, long offset, ReadOnlySpan<byte> bytes)
    {
        using FileStream file = File.Open(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset;
        file.Write(bytes);
    }

    /// <summary>Zeroes from <paramref name="offset"/> to the end of the file (its size stays).</summary>
    public static void ZeroFrom(string path, long offset)
    {
        using FileStream file = File.Open(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset;
        file.Write(new byte[file.Length - offset]);
    }

    public static uint ReadUInt32(string path, long offset)
    {
        byte[] bytes = new byte[4];
        using FileStream file = File.OpenRead(path);
        file.Position = offset;
        file.ReadExactly(bytes);
        return BinaryPrimitives.ReadUInt32LittleEndian(bytes);
    }

    public static void WriteUInt32(string path, long offset, uint value)
    {
        byte[] bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        Write(path, offset, bytes);
    }
}
