using LogQueue.Engine.Log;
using LogQueue.Engine.Tests.Queues.Behaviour;

namespace LogQueue.Engine.Tests.Queues.Fairness;

/// <summary>The order in which turns serve messages, receive by receive, as docs/fairness.md describes it.</summary>
public class TurnOrderTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task One_message_receives_follow_the_worked_example_of_the_docs()
    {
        await using TestEngine t = await TestEngine.OpenAsync(DurabilityMode.None);
        await t.CreateQueueAsync("q");
        for (int i = 1; i <= 5; i++)
        {
            await GroupedSends.SendOneAsync(t, "q", "A", "A" + i);
        }

        await GroupedSends.SendOneAsync(t, "q", "B", "B1");
        await GroupedSends.SendOneAsync(t, "q", "C", "C1");
        await GroupedSends.SendOneAsync(t, "q", "A", "A6");
        await GroupedSends.SendOneAsync(t, "q", null, "u1");
        await GroupedSends.SendOneAsync(t, "q", null, "u2");

        var order = new List<string>();
        for (int i = 0; i < 11; i++)
        {
            order.AddRange(await t.ReceiveBodiesAsync("q", 1, Long));
        }

        // The first log's turn ran before any lane existed: the lanes it made go first, then the log's turn
        // again, not twice in a row.
        Assert.Equal("u1 A1 B1 C1 u2 A2 A3 A4 A5 A6", string.Join(' ', order));
    }

    [Fact]
    public async Task Grouped_messages_visible_again_together_come_out_lowest_first()
    {
        await using TestEngine t = await TestEngine.OpenAsync(DurabilityMode.None);
        await t.CreateQueueAsync("q");
        await GroupedSends.SendAsync(t, "q", "A", 3, "a");
        Assert.Equal(3, (await t.ReceiveAsync("q", 3, TimeSpan.FromSeconds(10))).Count);
        t.AdvanceSeconds(10);

        Assert.Equal(["a0", "a1", "a2"], await t.ReceiveBodiesAsync("q", 3, Long));
    }
}
