using System.Globalization;

namespace LogQueue.Engine.Log;

/// <summary>
/// File names in a log directory. A live segment is named by its base sequence, 20 digits so names sort
/// as numbers do. Other files carry a ".tmp" suffix and hold no records: a spare ("spare-N.tmp") is
/// complete (zero-filled, durable) and is kept across restarts; a file being zero-filled
/// ("preparing-N.tmp") or waiting for reuse ("retired-N.tmp") is deleted by recovery.
/// </summary>
internal static class SegmentFileNames
{
    public const string SegmentExtension = ".seg";
    public const string TemporaryExtension = ".tmp";

    public static string Segment(string directory, long baseSequence) =>
        Path.Combine(directory, baseSequence.ToString("D20", CultureInfo.InvariantCulture) + SegmentExtension);

    public static string Spare(string directory, long number) =>
        Path.Combine(directory, "spare-" + number.ToString(CultureInfo.InvariantCulture) + TemporaryExtension);

    public static string Preparing(string directory, long number) =>
        Path.Combine(directory, "preparing-" + number.ToString(CultureInfo.InvariantCulture) + TemporaryExtension);

    public static string Retired(string directory, long number) =>
        Path.Combine(directory, "retired-" + number.ToString(CultureInfo.InvariantCulture) + TemporaryExtension);

    public static bool TryParseSpare(string path, out long number)
    {
        string name = Path.GetFileName(path);
        number = -1;
        return name.StartsWith("spare-", StringComparison.Ordinal)
            && name.EndsWith(TemporaryExtension, StringComparison.Ordinal)
            && long.TryParse(name.AsSpan(6, name.Length - 6 - TemporaryExtension.Length), NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }

    public static bool TryParseSegment(string path, out long baseSequence)
    {
        string name = Path.GetFileName(path);
        baseSequence = -1;
        return name.Length == 20 + SegmentExtension.Length
            && name.EndsWith(SegmentExtension, StringComparison.Ordinal)
            && long.TryParse(name.AsSpan(0, 20), NumberStyles.None, CultureInfo.InvariantCulture, out baseSequence);
    }
}
