namespace LogQueue.Engine.Tests.Queues.Behaviour;

public class PurgeTests
{
    [Fact]
    public async Task A_purge_deletes_visible_in_flight_and_delayed_messages()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", "visible");
        await t.SendAsync("q", "in-flight");
        await t.SendAsync("q", "delayed", delay: TimeSpan.FromSeconds(30));
        await t.ReceiveAsync("q", 1, TimeSpan.FromSeconds(10));
        Assert.Equal((1, 1, 1), t.Counts("q"));

        await t.Engine.PurgeQueueAsync("q");
        Assert.Equal((0, 0, 0), t.Counts("q"));
        Assert.Equal(0, t.Attribute("q", "ApproximateAgeOfOldestMessage"));
        t.AdvanceSeconds(30);
        Assert.Empty(await t.ReceiveAsync("q"));
    }

    [Fact]
    public async Task Messages_sent_after_a_purge_are_kept()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", "old");
        await t.Engine.PurgeQueueAsync("q");
        await t.SendAsync("q", "new");

        Assert.Equal(["new"], await t.ReceiveBodiesAsync("q"));
    }

    [Fact]
    public async Task A_second_purge_within_60_seconds_is_PurgeQueueInProgress_and_allowed_after()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.CreateQueueAsync("other");
        await t.Engine.PurgeQueueAsync("q");

        t.AdvanceSeconds(59.999);
        await t.SendAsync("q", "kept");
        var ex = await Assert.ThrowsAsync<LogQueueException>(() => t.Engine.PurgeQueueAsync("q"));
        Assert.Equal(ErrorCode.PurgeQueueInProgress, ex.Code);
        Assert.Equal((1, 0, 0), t.Counts("q"));

        // The limit is per queue.
        await t.Engine.PurgeQueueAsync("other");

        t.AdvanceSeconds(0.001);
        await t.Engine.PurgeQueueAsync("q");
        Assert.Equal((0, 0, 0), t.Counts("q"));
    }

    [Fact]
    public async Task Purging_an_empty_queue_succeeds_and_counts_as_a_purge()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.Engine.PurgeQueueAsync("q");

        var ex = await Assert.ThrowsAsync<LogQueueException>(() => t.Engine.PurgeQueueAsync("q"));
        Assert.Equal(ErrorCode.PurgeQueueInProgress, ex.Code);
        await t.SendAsync("q", "m");
        Assert.Single(await t.ReceiveAsync("q"));
    }

    [Fact]
    public async Task Purged_messages_stay_deleted_after_a_restart()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        for (int i = 0; i < 5; i++)
        {
            await t.SendAsync("q", "old" + i);
        }

        await t.Engine.PurgeQueueAsync("q");
        await t.SendAsync("q", "new");

        await t.ReopenAsync();
        Assert.Equal(["new"], await t.ReceiveBodiesAsync("q"));
    }

    [Fact]
    public async Task Purging_a_queue_that_does_not_exist_is_QueueDoesNotExist()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        var ex = await Assert.ThrowsAsync<LogQueueException>(() => t.Engine.PurgeQueueAsync("missing"));
        Assert.Equal(ErrorCode.QueueDoesNotExist, ex.Code);
    }
}
