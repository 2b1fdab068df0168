using LogQueue.Engine.IO;
using LogQueue.Engine.Log;
using Microsoft.Extensions.Logging;

namespace LogQueue.Engine.Recovery;

/// <summary>
/// Rebuilds a log from its directory. The index is never trusted from a previous run: every record header
/// is walked, sequences must run on densely from segment to segment, and CRCs are checked on the newest
/// segment (on all with <see cref="SegmentedLogOptions.VerifyAllSegments"/>).
/// <para>
/// The newest segment is where a crash leaves damage: the record being written when the process died
/// (its length is written last, so it reads as the end), or pages a power loss tore. Its tail is
/// truncated at the last good record and the rest of the file zeroed, so bytes of a dead record can never
/// line up with a later append and come back. Damage in a sealed segment is different: later records may
/// have been acknowledged, so by default opening fails and names the file and offset.
/// </para>
/// </summary>
internal static partial class LogRecovery
{
    // After the last record, at least this many bytes (or a whole largest record, if larger) must be zero;
    // anything else is the remains of a torn write.
    private const int MinZeroCheckBytes = 1 << 20;

    public static List<LogSegment> Recover(
        string directory,
        SegmentedLogOptions options,
        SegmentAllocator allocator,
        ILogger logger,
        TimeProvider time,
        out long nextSequence)
    {
        foreach (string leftover in System.IO.Directory.EnumerateFiles(directory, "*" + SegmentFileNames.TemporaryExtension))
        {
            // A complete spare of the right size is kept: zero-filling 64 MiB again on every start is waste.
            // Its records area is zero: records are written only after a spare is renamed into a segment.
            if (!SegmentFileNames.TryParseSpare(leftover, out _) || new FileInfo(leftover).Length != options.SegmentCapacity || !allocator.Adopt(leftover))
            {
                File.Delete(leftover);
            }
        }

        var bases = new List<long>();
        foreach (string path in System.IO.Directory.EnumerateFiles(directory, "*" + SegmentFileNames.SegmentExtension))
        {
            if (SegmentFileNames.TryParseSegment(path, out long baseSequence))
            {
                bases.Add(baseSequence);
            }
        }

        bases.Sort();
        var segments = new List<LogSegment>(bases.Count);
        try
        {
            nextSequence = bases.Count == 0 ? 0 : bases[0];
            int zeroCheckBytes = Math.Max(MinZeroCheckBytes, RecordFormat.Align(RecordFormat.HeaderSize + options.MaxRecordSize));
            for (int i = 0; i < bases.Count; i++)
            {
                string path = SegmentFileNames.Segment(directory, bases[i]);
                if (bases[i] != nextSequence)
                {
                    LogSegment previous = segments[^1];
                    string gap = $"the next segment starts at sequence {bases[i]}, but this one ends at {nextSequence}";
                    TruncateSealed(previous, previous.WritePosition, gap, options.VerifyAllSegments, zeroCheckBytes, options, logger, ref nextSequence);
                    DropSegments(directory, bases, i, logger);
                    break;
                }

                LogSegment segment = LogSegment.Open(path, bases[i]);
                segments.Add(segment);
                bool isTail = i == bases.Count - 1;
                bool checkCrc = isTail || options.VerifyAllSegments;
                (long badOffset, string? reason) = Scan(segment, checkCrc, zeroCheckBytes, ref nextSequence);
                if (reason is null)
                {
                    continue;
                }

                if (isTail)
                {
                    TruncateTail(segment, badOffset, reason, logger);
                }
                else
                {
                    TruncateSealed(segment, badOffset, reason, checkCrc, zeroCheckBytes, options, logger, ref nextSequence);
                    DropSegments(directory, bases, i + 1, logger);
                    break;
                }
            }

            // What the scan accepted may still sit only in the page cache (the previous process was killed,
            // not shut down): make it durable before anyone is told it is (DurableSequence starts here).
            // fdatasync of a file with no dirty pages returns at once.
            // The same holds for the names: a segment created just before the crash may not be in the
            // directory on disk yet.
            foreach (LogSegment segment in segments)
            {
                segment.SyncData();
            }

            NativeFile.SyncDirectory(directory);

            if (segments.Count == 0)
            {
                LogSegment first = allocator.CreateNow();
                segments.Add(first);
                first.Activate(SegmentFileNames.Segment(directory, 0), 0, time.GetUtcNow().ToUnixTimeMilliseconds());
                first.SyncData();
                NativeFile.SyncDirectory(directory);
                nextSequence = 0;
            }

            return segments;
        }
        catch
        {
            foreach (LogSegment segment in segments)
            {
                segment.Retire(null);
            }

            throw;
        }
    }

    // Indexes the segment's records; returns the offset and reason of the first bad one, or a null reason.
    private static (long Offset, string? Reason) Scan(LogSegment segment, bool checkCrc, int zeroCheckBytes, ref long nextSequence)
    {
        ReadOnlySpan<byte> bytes = segment.Bytes;
        string? headerProblem = SegmentHeader.Validate(bytes, segment.BaseSequence, segment.Capacity);
        if (headerProblem is not null)
        {
            if (bytes[..SegmentHeader.Size].IndexOfAnyExcept((byte)0) >= 0)
            {
                // A header is written once, when the segment goes live, and never torn by a crash in the
                // way a tail record is: damage here is not something truncation can repair.
                throw new LogCorruptionException(segment.Path, 0, headerProblem);
            }

            // A header of zeros: the segment went live but its first page never reached the disk
            // (power loss). Its records, if any reached the disk, are checked one by one below; the
            // header is rewritten so the next open finds it whole.
            segment.WriteHeader(segment.BaseSequence, 0);
        }

        int position = SegmentHeader.Size;
        while (true)
        {
            string? reason = RecordFormat.Verify(bytes[position..], nextSequence, checkCrc, out int length);
            if (reason is not null)
            {
                segment.WritePosition = position;
                return (position, reason);
            }

            if (length == 0)
            {
                segment.WritePosition = position;
                int checkEnd = (int)Math.Min(segment.Capacity, (long)position + zeroCheckBytes);
                int nonZero = bytes[position..checkEnd].IndexOfAnyExcept((byte)0);
                return nonZero < 0 ? (position, null) : (position, $"non-zero bytes at offset {position + nonZero} after the last record");
            }

            segment.Index.Add(position);
            position += RecordFormat.Align(length);
            nextSequence++;
        }
    }

    private static void TruncateTail(LogSegment segment, long offset, string reason, ILogger logger)
    {
        LogTruncatedTail(logger, segment.Path, offset, reason, segment.BaseSequence + segment.Index.Count);
        ZeroFrom(segment, offset);
    }

    private static void TruncateSealed(
        LogSegment segment,
        long offset,
        string reason,
        bool crcChecked,
        int zeroCheckBytes,
        SegmentedLogOptions options,
        ILogger logger,
        ref long nextSequence)
    {
        if (options.SealedSegmentCorruption == SealedSegmentCorruptionPolicy.Fail)
        {
            throw new LogCorruptionException(segment.Path, offset, reason);
        }

        if (!crcChecked)
        {
            // This segment becomes the newest: nothing in it may be delivered unverified, and what is
            // appended after it must not be cut at the next open by a bad record found only then.
            segment.Index.Reset();
            nextSequence = segment.BaseSequence;
            (long crcOffset, string? crcReason) = Scan(segment, checkCrc: true, zeroCheckBytes, ref nextSequence);
            if (crcReason is not null && crcOffset < offset)
            {
                offset = crcOffset;
                reason = crcReason;
            }
        }

        LogTruncatedSealed(logger, segment.Path, offset, reason, segment.BaseSequence + segment.Index.Count);
        ZeroFrom(segment, offset);
    }

    private static void ZeroFrom(LogSegment segment, long offset)
    {
        segment.ZeroFrom(offset);
        segment.WritePosition = (int)offset;
        segment.SyncData();
    }

    private static void DropSegments(string directory, List<long> bases, int from, ILogger logger)
    {
        for (int i = from; i < bases.Count; i++)
        {
            string path = SegmentFileNames.Segment(directory, bases[i]);
            LogDroppedSegment(logger, path);
            File.Delete(path);
        }

        NativeFile.SyncDirectory(directory);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovery truncated the tail of {Path} at byte offset {Offset} ({Reason}); the log now ends before sequence {NextSequence}")]
    private static partial void LogTruncatedTail(ILogger logger, string path, long offset, string reason, long nextSequence);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recovery found a corrupt record in sealed segment {Path} at byte offset {Offset} ({Reason}) and truncated the log before sequence {NextSequence}, as configured")]
    private static partial void LogTruncatedSealed(ILogger logger, string path, long offset, string reason, long nextSequence);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recovery deleted segment {Path}, which followed the truncation point")]
    private static partial void LogDroppedSegment(ILogger logger, string path);
}
