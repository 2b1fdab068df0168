using LogQueue.Engine.Queues.Journal;

namespace LogQueue.Engine.Queues.Fifo;

/// <summary>
/// A share of a FIFO queue's message groups, picked by the keyed hash of the group id, with everything a receive
/// of those groups touches: the groups, the ring of ready groups, their in-flight entries and receive counts,
/// under the partition's own lock. A queue in high-throughput mode has many, so consumers of different groups
/// take different locks; a queue limited per queue has one.
/// <para>
/// The ring serves ready groups round-robin: a group that delivered goes to the back when it is ready again, so
/// a group with a long backlog gets one turn among the others and cannot starve them.
/// </para>
/// </summary>
internal sealed class FifoPartition
{
    public Lock Lock { get; } = new();

    /// <summary>The groups with messages waiting or in flight, by key.</summary>
    public Dictionary<ulong, MessageGroup> Groups { get; } = [];

    /// <summary>Groups ready to deliver, in the order they became ready. Entries may be stale: a taker checks <see cref="MessageGroup.IsReady"/>.</summary>
    public Queue<MessageGroup> Ready { get; } = new();

    /// <summary>In-flight messages of the partition's groups, by sequence.</summary>
    public Dictionary<long, FifoInFlightMessage> InFlight { get; } = [];

    /// <summary>Messages being moved to the dead-letter queue, and their groups (locked until the move ends).</summary>
    public Dictionary<long, MessageGroup> Moving { get; } = [];

    /// <summary>Receive state of the partition's messages received at least once and not deleted (journaled, checkpointed).</summary>
    public Dictionary<long, ReceiveState> Receives { get; } = [];

    /// <summary>Adds a message at the back of its group (the scan meets a group's messages in sequence order).</summary>
    public void Append(ulong key, long sequence)
    {
        if (!Groups.TryGetValue(key, out MessageGroup? group))
        {
            group = new MessageGroup(key);
            Groups.Add(key, group);
        }

        group.Waiting.PushBack(sequence);
        Requeue(group);
    }

    /// <summary>Puts a message that came back from flight (or from a failed move) back in its group, and unlocks the group by one.</summary>
    public void Return(MessageGroup group, long sequence)
    {
        group.InFlight--;
        group.Waiting.Return(sequence);
        Requeue(group);
    }

    /// <summary>A message of the group left flight for good (deleted or moved): the group unlocks by one.</summary>
    public void Release(MessageGroup group)
    {
        group.InFlight--;
        Requeue(group);
    }

    /// <summary>Files a group at the back of the ready ring if it is ready and not there; forgets it when empty.</summary>
    public void Requeue(MessageGroup group)
    {
        if (group.IsReady)
        {
            if (!group.Queued)
            {
                group.Queued = true;
                Ready.Enqueue(group);
            }
        }
        else if (group.IsEmpty && !group.Queued)
        {
            Groups.Remove(group.Key);
        }
    }

    /// <summary>Forgets everything (a purge).</summary>
    public void Clear()
    {
        Groups.Clear();
        Ready.Clear();
        InFlight.Clear();
        Moving.Clear();
        Receives.Clear();
    }
}
