using LogQueue.Engine.Queues.Journal;

namespace LogQueue.Engine.Tests.Queues.Journal;

/// <summary>The obvious model of a queue's journaled state: a set of deleted sequences and a table of receive states.</summary>
internal sealed class StateModel
{
    public HashSet<long> Deleted { get; } = [];

    public Dictionary<long, ReceiveState> Receives { get; } = [];

    public void Delete(long start, long end)
    {
        for (long s = start; s < end; s++)
        {
            Deleted.Add(s);
            Receives.Remove(s);
        }
    }

    /// <summary>What a queue would journal for a receive of <paramref name="sequence"/> at <paramref name="now"/>; null if it is deleted.</summary>
    public JournalEntry? Receive(long sequence, long now)
    {
        if (Deleted.Contains(sequence))
        {
            return null;
        }

        ReceiveState next = Receives.TryGetValue(sequence, out ReceiveState current)
            ? current with { ReceiveCount = current.ReceiveCount + 1 }
            : new ReceiveState(1, now);
        Receives[sequence] = next;
        return JournalEntry.Received(sequence, next.ReceiveCount, next.FirstReceiveTimestampMs);
    }

    /// <summary>Asserts that <paramref name="state"/> matches the model for every sequence below <paramref name="limit"/>.</summary>
    public void AssertMatches(QueueState state, long limit)
    {
        for (long s = 0; s < limit; s++)
        {
            Assert.True(Deleted.Contains(s) == state.Deletes.IsDeleted(s), $"sequence {s}: model deleted {Deleted.Contains(s)}, state deleted {state.Deletes.IsDeleted(s)}");
        }

        Assert.False(state.Deletes.IsDeleted(limit));
        Assert.Equal(Receives.OrderBy(p => p.Key), state.Receives.OrderBy(p => p.Key));
    }
}
