using LogQueue.Engine.IO;
using Microsoft.Extensions.Logging;

namespace LogQueue.Engine.Log;

public sealed partial class SegmentedLog
{
    /// <summary>
    /// Removes every sealed segment whose records all lie below <paramref name="sequence"/> (the newest
    /// segment always stays). When this returns the removal is durable: the files are renamed away and the
    /// directory is flushed; the space goes to the spare pool or back to the file system once no reader
    /// holds the segments. Returns how many segments were removed.
    /// </summary>
    public int RemoveSegmentsBefore(long sequence)
    {
        LogSegment[] removed;
        lock (_appendLock)
        {
            ThrowIfClosed();
            LogSegment[] segments = _segments;
            int count = 0;
            while (count < segments.Length - 1 && segments[count + 1].BaseSequence <= sequence)
            {
                count++;
            }

            if (count == 0)
            {
                return 0;
            }

            removed = segments[..count];
            Volatile.Write(ref _segments, segments[count..]);

            // In None mode nothing else would ever drain these entries, and each holds its segment's index.
            foreach (LogSegment segment in removed)
            {
                if (segment.Dirty)
                {
                    segment.Dirty = false;
                    _dirtySegments.Remove(segment);
                }
            }
        }

        // Oldest first: a crash part-way leaves a shorter prefix removed, never a hole. If a rename fails,
        // the segments are still unmapped; files that kept their names come back at the next open.
        int renamed = 0;
        try
        {
            foreach (LogSegment segment in removed)
            {
                segment.MoveTo(SegmentFileNames.Retired(_directory, Interlocked.Increment(ref _retiredFiles)));
                renamed++;
            }

            NativeFile.SyncDirectory(_directory);
        }
        finally
        {
            for (int i = 0; i < removed.Length; i++)
            {
                removed[i].Retire(i < renamed ? s => _allocator.Recycle(s.Path) : null);
            }
        }

        LogRemoved(removed.Length, removed[^1].BaseSequence + removed[^1].Index.Count, _directory);
        return removed.Length;
    }

    /// <summary>
    /// The base sequence of the oldest segment that holds a record appended at or after <paramref name="timestamp"/>
    /// (Unix ms), not counting records with any of the <paramref name="ignored"/> flags; the newest segment's base when
    /// no sealed segment does. Removing the segments below it keeps every record appended since then.
    /// <para>
    /// The log stamps a record's time under its append lock, so stamped times grow with sequences: a segment's newest
    /// counted record tells whether any of its records is that young, and the walk stops at the first segment that
    /// is. Usually one record is read per segment. Records appended with a time of their own (a moved message keeps
    /// its original one) do not follow that order, which is what <paramref name="ignored"/> is for.
    /// </para>
    /// </summary>
    public long FirstSegmentAppendedSince(long timestamp, RecordFlags ignored)
    {
        LogSegment[] segments = Volatile.Read(ref _segments);
        if (segments.Length == 0)
        {
            ThrowIfClosed();
        }

        for (int i = 0; i < segments.Length - 1; i++)
        {
            LogSegment segment = segments[i];
            if (!segment.TryAcquire())
            {
                // Removed meanwhile: it held nothing to keep.
                continue;
            }

            try
            {
                for (int position = segment.Index.Count - 1; position >= 0; position--)
                {
                    RecordView record = RecordFormat.View(segment.RecordAt(position));
                    if ((record.Flags & ignored) == 0)
                    {
                        if (record.Timestamp >= timestamp)
                        {
                            return segment.BaseSequence;
                        }

                        break;
                    }
                }
            }
            finally
            {
                segment.Release();
            }
        }

        return segments[^1].BaseSequence;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} segment(s) below sequence {Sequence} from {Directory}")]
    private partial void LogRemoved(int count, long sequence, string directory);
}
