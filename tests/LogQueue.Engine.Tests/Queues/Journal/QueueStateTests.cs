using LogQueue.Engine.Queues.Journal;

namespace LogQueue.Engine.Tests.Queues.Journal;

public class QueueStateTests
{
    [Fact]
    public void A_delete_drops_the_receive_states_inside_its_range()
    {
        var state = new QueueState();
        for (long s = 0; s < 10; s++)
        {
            state.Apply(JournalEntry.Received(s, 1, 100 + s));
        }

        state.Apply(JournalEntry.Deleted(3));
        state.Apply(JournalEntry.Deleted(5, 8));
        state.Apply(JournalEntry.Deleted(0, 1_000_000)); // wider than the table: walks the table, not the range

        Assert.Empty(state.Receives);
        Assert.Equal(1_000_000, state.Deletes.Floor);
    }

    [Fact]
    public void Replay_does_not_depend_on_order_or_repetition()
    {
        JournalEntry[] entries =
        [
            JournalEntry.Received(4, 1, 50),
            JournalEntry.Received(4, 2, 50),
            JournalEntry.Received(6, 1, 70),
            JournalEntry.Deleted(6),
            JournalEntry.Received(8, 1, 90),
        ];

        var forward = new QueueState();
        forward.Apply(entries);
        var backward = new QueueState();
        backward.Apply([.. entries.Reverse()]);
        var twice = new QueueState();
        twice.Apply(entries);
        twice.Apply(entries);

        foreach (QueueState state in new[] { forward, backward, twice })
        {
            Assert.Equal(new ReceiveState(2, 50), state.Receives[4]);
            Assert.False(state.Receives.ContainsKey(6));
            Assert.True(state.Deletes.IsDeleted(6));
            Assert.Equal(new ReceiveState(1, 90), state.Receives[8]);
            Assert.Equal(2, state.Receives.Count);
        }
    }
}
