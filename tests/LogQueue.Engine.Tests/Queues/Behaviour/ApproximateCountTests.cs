using LogQueue.Engine.Queues.Messages;

namespace LogQueue.Engine.Tests.Queues.Behaviour;

public class ApproximateCountTests
{
    [Fact]
    public async Task Counts_follow_messages_through_send_receive_return_and_delete()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        Assert.Equal((0, 0, 0), t.Counts("q"));

        for (int i = 0; i < 4; i++)
        {
            await t.SendAsync("q", "m" + i);
        }

        await t.SendAsync("q", "later", delay: TimeSpan.FromSeconds(60));
        Assert.Equal((4, 0, 1), t.Counts("q"));

        IReadOnlyList<ReceivedMessage> got = await t.ReceiveAsync("q", 3, TimeSpan.FromSeconds(10));
        Assert.Equal((1, 3, 1), t.Counts("q"));

        await t.Engine.DeleteMessageAsync("q", got[0].ReceiptHandle);
        Assert.Equal((1, 2, 1), t.Counts("q"));

        t.AdvanceSeconds(10);
        Assert.Equal((3, 0, 1), t.Counts("q"));

        t.AdvanceSeconds(50);
        Assert.Equal((4, 0, 0), t.Counts("q"));
    }

    [Fact]
    public async Task The_age_of_the_oldest_message_counts_whole_seconds_since_its_send()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        Assert.Equal(0, t.Attribute("q", "ApproximateAgeOfOldestMessage"));

        await t.SendAsync("q", "first");
        t.AdvanceSeconds(30);
        await t.SendAsync("q", "second");
        t.AdvanceSeconds(12.5);
        Assert.Equal(42, t.Attribute("q", "ApproximateAgeOfOldestMessage"));

        ReceivedMessage first = await t.ReceiveOneAsync("q");
        await t.Engine.DeleteMessageAsync("q", first.ReceiptHandle);
        Assert.Equal(12, t.Attribute("q", "ApproximateAgeOfOldestMessage"));
    }

    [Fact]
    public async Task Counts_are_per_queue()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("a");
        await t.CreateQueueAsync("b");
        await t.SendAsync("a", "m");
        await t.SendAsync("a", "m");
        await t.SendAsync("b", "m");
        await t.ReceiveAsync("b");

        Assert.Equal((2, 0, 0), t.Counts("a"));
        Assert.Equal((0, 1, 0), t.Counts("b"));
    }

    [Fact]
    public async Task After_a_restart_in_flight_messages_count_as_visible()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", "a");
        await t.SendAsync("q", "b");
        ReceivedMessage a = await t.ReceiveOneAsync("q");
        await t.ReceiveOneAsync("q");
        await t.Engine.DeleteMessageAsync("q", a.ReceiptHandle);

        await t.ReopenAsync();
        Assert.Equal((1, 0, 0), t.Counts("q"));
    }
}
