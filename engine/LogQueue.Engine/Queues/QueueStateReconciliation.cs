using LogQueue.Engine.Log;
using LogQueue.Engine.Queues.Journal;
using Microsoft.Extensions.Logging;

namespace LogQueue.Engine.Queues;

/// <summary>
/// Keeps sequence numbers from being reused after a crash. The message log and the state journal are
/// flushed separately, so a crash can leave journal state (a delete, a purge's range, a receive count)
/// for sequences the log no longer holds: the messages were appended, never acknowledged, and lost. If the
/// log then handed those sequences to new messages, the old state would apply to them: an acknowledged
/// send would arrive already deleted. So on open the log is padded with tombstones (empty records, never
/// delivered) up to the highest sequence the journal knows, and the journal marks them deleted.
/// </summary>
internal static partial class QueueStateReconciliation
{
    private const int TombstoneBatch = 1024;

    public static async Task ReconcileAsync(string queue, SegmentedLog log, QueueStateJournal journal, QueueState state, ILogger logger, CancellationToken cancellationToken)
    {
        long end = log.NextSequence;
        long known = HighestKnownSequence(state);
        if (known <= end)
        {
            return;
        }

        // Journal first: a crash between the two steps leaves the same situation for the next open.
        state.ApplyDeleted(end, known);
        await journal.AppendAsync(new[] { JournalEntry.Deleted(end, known) }, cancellationToken).ConfigureAwait(false);
        await journal.FlushAsync(cancellationToken).ConfigureAwait(false);

        var tombstones = new AppendRecord[TombstoneBatch];
        Array.Fill(tombstones, new AppendRecord(ReadOnlyMemory<byte>.Empty, flags: RecordFlags.Tombstone));
        for (long next = end; next < known;)
        {
            int count = (int)Math.Min(TombstoneBatch, known - next);
            next = await log.AppendBatchAsync(tombstones.AsMemory(0, count), cancellationToken).ConfigureAwait(false) + count;
        }

        await log.FlushAsync(cancellationToken).ConfigureAwait(false);
        LogPadded(logger, queue, end, known);
    }

    // One past the highest sequence the journal holds any state for.
    private static long HighestKnownSequence(QueueState state)
    {
        long known = state.Deletes.Floor;
        List<(long Start, long End)> ranges = state.Deletes.DeletedRanges();
        if (ranges.Count > 0)
        {
            known = Math.Max(known, ranges[^1].End);
        }

        foreach (long sequence in state.Receives.Keys)
        {
            known = Math.Max(known, sequence + 1);
        }

        return known;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue}: the state journal knew sequences [{End}, {Known}) that the message log lost in a crash (never acknowledged); padded the log with tombstones so they are not reused")]
    private static partial void LogPadded(ILogger logger, string queue, long end, long known);
}
