using System.Buffers.Binary;
using LogQueue.Engine.Log;
using LogQueue.Engine.Queues.Journal;

namespace LogQueue.Engine.Tests.Queues.Journal;

/// <summary>Looks at and damages the files of a closed journal directory.</summary>
internal static class JournalFiles
{
    public static string CheckpointPath(string directory) => Path.Combine(directory, QueueStateJournal.CheckpointFileName);

    public static string[] Segments(string directory) => [.. Directory.GetFiles(directory, "*.seg").Order(StringComparer.Ordinal)];

    public static string NewestSegment(string directory) => Segments(directory)[^1];

    /// <summary>The bytes of every file in the directory (a file the log's spare loop renames meanwhile may be missed).</summary>
    public static long DirectoryBytes(string directory)
    {
        long total = 0;
        foreach (FileInfo file in new DirectoryInfo(directory).GetFiles())
        {
            try
            {
                total += file.Length;
            }
            catch (FileNotFoundException)
            {
                // Renamed between the listing and the stat.
            }
        }

        return total;
    }

    /// <summary>The byte offset and stored length of the last record in a segment file.</summary>
    public static (int Offset, int Length) LastRecord(string segmentPath)
    {
        byte[] bytes = File.ReadAllBytes(segmentPath);
        int position = 64, last = -1, lastLength = 0;
        while (position + 4 <= bytes.Length)
        {
            int length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(position));
            if (length == 0)
            {
                break;
            }

            (last, lastLength) = (position, length);
            position += (length + 7) & ~7;
        }

        Assert.True(last >= 0, $"{segmentPath} holds no record");
        return (last, lastLength);
    }

    /// <summary>The offset just past the last record (where the zeros start).</summary>
    public static int EndOfRecords(string segmentPath)
    {
        (int offset, int length) = LastRecord(segmentPath);
        return offset + ((length + 7) & ~7);
    }

    public static void Overwrite(string path, long offset, ReadOnlySpan<byte> bytes)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Write);
        RandomAccess.Write(file, bytes, offset);
    }

    public static void FlipByte(string path, long offset)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
        byte[] one = new byte[1];
        RandomAccess.Read(file, one, offset);
        one[0] ^= 0x5A;
        RandomAccess.Write(file, one, offset);
    }

    /// <summary>Appends raw record bodies to a closed journal's log, bypassing the journal's encoder.</summary>
    public static async Task AppendRawAsync(string directory, QueueStateJournalOptions options, params byte[][] bodies)
    {
        await using SegmentedLog log = SegmentedLog.Open(directory, options.ToLogOptions());
        foreach (byte[] body in bodies)
        {
            await log.AppendAsync(new AppendRecord(body));
        }
    }
}
