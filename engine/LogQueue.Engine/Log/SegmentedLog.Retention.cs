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

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} segment(s) below sequence {Sequence} from {Directory}")]
    private partial void LogRemoved(int count, long sequence, string directory);
}
