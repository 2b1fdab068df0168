using System.Runtime.CompilerServices;
using LogQueue.Engine.Log;
using LogQueue.Engine.Queues.Fairness;
using LogQueue.Engine.Queues.Messages;

namespace LogQueue.Engine.Queues;

/// <summary>
/// Fair standard queues: messages that carry a group id are served round-robin across groups (see
/// <see cref="GroupRotation"/> and docs/fairness.md), so a group with a huge backlog at the head of the log does
/// not hold back the others. Ungrouped messages are one more participant: the log's turn serves the next one.
/// A queue that never sees a group id takes the cursor's path alone, as before.
/// </summary>
internal sealed partial class MessageQueue
{
    /// <summary>
    /// The most records the log's turn reads before it yields to the lanes. It bounds the work one receive does
    /// under the lock (about 30 µs of mapped reads), and it is how far a quiet group's message is looked for
    /// behind a noisy backlog per round: behind a million messages of one group, it is found after about a
    /// thousand rounds instead of a million messages. Each record is read by the log's turn once.
    /// </summary>
    private const int ScanAheadPerTurn = 1024;

    private readonly GroupRotation _groups = new();

    // The next message from the log side of delivery (everything but messages visible again): the lanes' and
    // the log's turns in rotation.
    private bool TryNextInRotationLocked(long bound, long now, QueueSettings settings, out long sequence, out int size)
    {
        while (true)
        {
            if (_groups.IsEmpty)
            {
                // The log is the only turn: no rotation to keep, and the cursor walks on, unbounded, until it finds
                // a message, reaches the bound or meets a group.
                bool foundAlone = TryAdvanceCursorLocked(bound, now, settings, out sequence, out size);
                if (_groups.IsEmpty)
                {
                    return foundAlone;
                }

                _groups.EndLoneLogTurn();
                if (foundAlone)
                {
                    return true;
                }
            }

            GroupLane? lane = _groups.BeginTurn();
            bool found = lane is null
                ? TryAdvanceCursorLocked(bound, now, settings, out sequence, out size)
                : TryTakeFromLaneLocked(lane, now, settings, out sequence, out size);
            bool logAtEnd = lane is null && !found && (_cursor >= bound || _groups.IsFull);
            _groups.EndTurn(lane);
            if (found)
            {
                return true;
            }

            // Every other outcome made progress: a lane drained, or the cursor indexed what it read.
            if (logAtEnd && _groups.IsEmpty)
            {
                return false;
            }
        }
    }

    // The log's turn: walks the cursor to the next deliverable ungrouped message, indexing grouped ones on the
    // way, and gives up after ScanAheadPerTurn reads or when the index is full. Both apply only once a group has
    // a lane: until then there is no other turn to yield to, and giving up would return nothing while a message
    // further on is visible (expired records count as reads). SkipLocalsInit: the record is a 148-byte struct,
    // and zeroing it for every record would be most of the cost an ungrouped message pays here.
    [SkipLocalsInit]
    private bool TryAdvanceCursorLocked(long bound, long now, QueueSettings settings, out long sequence, out int size)
    {
        int reads = 0;
        while (true)
        {
            _cursor = _deleted.NextUndeleted(_cursor);
            if (_cursor >= bound || (reads >= ScanAheadPerTurn && !_groups.IsEmpty) || _groups.IsFull)
            {
                sequence = -1;
                size = 0;
                return false;
            }

            sequence = _cursor++;

            // The Count checks spare two hash lookups per message in the common case of nothing delayed or moving.
            if (_inFlight.ContainsKey(sequence) || (_delayed.Count > 0 && _delayed.ContainsKey(sequence)) || (_moving.Count > 0 && _moving.Contains(sequence)))
            {
                continue;
            }

            reads++;
            Unsafe.SkipInit(out GroupedTiming record);
            if (!TryReadGroupedTiming(sequence, ref record))
            {
                continue; // Removed with its segment.
            }

            size = record.Size;
            if (!IsDueLocked(sequence, record.Timestamp, record.DelayMilliseconds, now, settings))
            {
                continue;
            }

            if (record.GroupIdLength == 0)
            {
                return true;
            }

            _groups.Append(record.GroupId[..record.GroupIdLength], sequence);
        }
    }

    // A lane's turn: its next message that is still deliverable.
    private bool TryTakeFromLaneLocked(GroupLane lane, long now, QueueSettings settings, out long sequence, out int size)
    {
        while (!lane.IsEmpty)
        {
            sequence = _groups.Take(lane);
            if (_deleted.IsDeleted(sequence) || _inFlight.ContainsKey(sequence) || (_delayed.Count > 0 && _delayed.ContainsKey(sequence)) || (_moving.Count > 0 && _moving.Contains(sequence)))
            {
                continue; // Expired, purged or moved since it was indexed.
            }

            if (IsDeliverableLocked(sequence, now, settings, out size))
            {
                return true;
            }
        }

        sequence = -1;
        size = 0;
        return false;
    }

    // Reads what the cursor needs of a record in place: its timing, its stored size and its group id, copied to
    // the stack (the view does not outlive the read). Every field but the group id's unused bytes is written, so
    // the caller need not zero the struct; an ungrouped record writes only its length (zero).
    private bool TryReadGroupedTiming(long sequence, ref GroupedTiming record) =>
        _log.TryRead(sequence, ref record, static (in RecordView view, ref GroupedTiming read) =>
        {
            read.Timestamp = view.Timestamp;
            read.DelayMilliseconds = view.DelayMilliseconds;
            read.Size = view.Body.Length + view.Attributes.Length;
            ReadOnlySpan<byte> group = view.GroupIdUtf8;
            read.GroupIdLength = Math.Min(group.Length, FifoIdentifier.MaxLength);
            group[..read.GroupIdLength].CopyTo(read.GroupId);
        });

    private struct GroupedTiming
    {
        public long Timestamp;
        public uint DelayMilliseconds;
        public int Size;
        public int GroupIdLength;
        public GroupIdBuffer GroupId;
    }
}
