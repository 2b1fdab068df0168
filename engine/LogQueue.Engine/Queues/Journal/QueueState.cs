using System.Runtime.InteropServices;
using LogQueue.Engine.Acks;

namespace LogQueue.Engine.Queues.Journal;

/// <summary>
/// The state a <see cref="QueueStateJournal"/> keeps for a queue: which messages are deleted, and the
/// receive count and first receive time of each message received at least once and not deleted.
/// <para>
/// Applying entries is idempotent and does not depend on their order: a delete is final (a receive of a
/// deleted message is ignored, and a delete drops the message's receive state), and a receive keeps the
/// highest receive count seen. So a replay that applies an entry the checkpoint already reflects, or a
/// journal in which two appends racing outside the queue's lock landed in the other order, still gives the
/// state the queue had. The queue relies on this: it must apply a change to its state no later than it
/// appends the change to the journal, and may append outside its lock.
/// </para>
/// Not thread-safe: the queue guards it with its own lock.
/// </summary>
public sealed class QueueState
{
    /// <summary>Creates an empty state: nothing deleted, nothing received.</summary>
    public QueueState()
        : this(new AckTracker(), [])
    {
    }

    /// <summary>Creates a state over an existing tracker and receive table (both are used, not copied).</summary>
    public QueueState(AckTracker deletes, Dictionary<long, ReceiveState> receives)
    {
        ArgumentNullException.ThrowIfNull(deletes);
        ArgumentNullException.ThrowIfNull(receives);
        Deletes = deletes;
        Receives = receives;
    }

    /// <summary>The deleted sequences.</summary>
    public AckTracker Deletes { get; }

    /// <summary>Receive state by sequence, for messages received at least once and not deleted.</summary>
    public Dictionary<long, ReceiveState> Receives { get; }

    /// <summary>The receive state of the message at <paramref name="sequence"/>, if it was received and is not deleted.</summary>
    public bool TryGetReceiveState(long sequence, out ReceiveState state) => Receives.TryGetValue(sequence, out state);

    /// <summary>Applies entries in order.</summary>
    public void Apply(ReadOnlySpan<JournalEntry> entries)
    {
        foreach (ref readonly JournalEntry entry in entries)
        {
            Apply(in entry);
        }
    }

    /// <summary>Applies one entry.</summary>
    /// <exception cref="ArgumentException">The entry is <c>default</c> or of an unknown kind.</exception>
    public void Apply(in JournalEntry entry)
    {
        switch (entry.Kind)
        {
            case JournalEntryKind.Deleted:
                ApplyDeleted(entry.Sequence, entry.EndSequence);
                break;
            case JournalEntryKind.Received:
                ApplyReceived(entry.Sequence, entry.ReceiveCount, entry.FirstReceiveTimestampMs);
                break;
            default:
                throw new ArgumentException($"Journal entry kind {(byte)entry.Kind} is not one this build knows.", nameof(entry));
        }
    }

    /// <summary>Marks [<paramref name="startSequence"/>, <paramref name="endSequence"/>) deleted and drops their receive states.</summary>
    public void ApplyDeleted(long startSequence, long endSequence)
    {
        if (endSequence - startSequence == 1)
        {
            Deletes.MarkDeleted(startSequence);
            Receives.Remove(startSequence);
            return;
        }

        Deletes.MarkDeleted(startSequence, endSequence);
        if (Receives.Count == 0)
        {
            return;
        }

        // Walk whichever is smaller: the range (a batch delete) or the table (a purge of a long backlog).
        if (endSequence - startSequence <= Receives.Count)
        {
            for (long sequence = startSequence; sequence < endSequence; sequence++)
            {
                Receives.Remove(sequence);
            }

            return;
        }

        // Removing while enumerating is allowed for Dictionary since .NET Core 3.0.
        foreach (long sequence in Receives.Keys)
        {
            if (sequence >= startSequence && sequence < endSequence)
            {
                Receives.Remove(sequence);
            }
        }
    }

    /// <summary>
    /// Records a receive of the message at <paramref name="sequence"/>, unless it is deleted or a receive
    /// with at least this count is already recorded.
    /// </summary>
    public void ApplyReceived(long sequence, int receiveCount, long firstReceiveTimestampMs)
    {
        if (Deletes.IsDeleted(sequence))
        {
            return;
        }

        ref ReceiveState slot = ref CollectionsMarshal.GetValueRefOrAddDefault(Receives, sequence, out bool exists);
        if (!exists || receiveCount > slot.ReceiveCount)
        {
            slot = new ReceiveState(receiveCount, firstReceiveTimestampMs);
        }
    }
}
