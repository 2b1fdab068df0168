using LogQueue.Engine.Queues.Messages;
using LogQueue.Engine.Tests.Queues.Behaviour;

namespace LogQueue.Engine.Tests.Queues.Fifo;

public class FifoReceiveAttemptTests
{
    [Fact]
    public async Task A_retried_receive_with_the_same_attempt_id_gets_the_same_messages_and_handles()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateFifoAsync("q.fifo");
        await t.SendToGroupAsync("q.fifo", "a", "a1", "a2");
        await t.SendToGroupAsync("q.fifo", "b", "b1");

        IReadOnlyList<ReceivedMessage> first = await t.ReceiveAttemptAsync("q.fifo", "attempt-1", max: 2);
        IReadOnlyList<ReceivedMessage> retry = await t.ReceiveAttemptAsync("q.fifo", "attempt-1", max: 2);

        Assert.Equal(["a1", "a2"], first.Select(TestEngine.Body));
        Assert.Equal(first.Select(m => m.ReceiptHandle), retry.Select(m => m.ReceiptHandle));
        Assert.Equal(first.Select(m => m.ApproximateReceiveCount), retry.Select(m => m.ApproximateReceiveCount));

        // Another id is another receive: it gets the next ready group.
        Assert.Equal(["b1"], (await t.ReceiveAttemptAsync("q.fifo", "attempt-2")).Select(TestEngine.Body));
    }

    [Fact]
    public async Task After_one_of_its_messages_is_deleted_the_attempt_is_forgotten_and_the_retry_is_a_fresh_receive()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateFifoAsync("q.fifo");
        await t.SendToGroupAsync("q.fifo", "a", "a1", "a2", "a3");
        IReadOnlyList<ReceivedMessage> first = await t.ReceiveAttemptAsync("q.fifo", "x", max: 2);
        await t.DeleteAsync("q.fifo", first[0]);

        Assert.Empty(await t.ReceiveAttemptAsync("q.fifo", "x")); // a2 still holds the group.

        await t.DeleteAsync("q.fifo", first[1]);
        Assert.Equal(["a3"], (await t.ReceiveAttemptAsync("q.fifo", "x")).Select(TestEngine.Body));
    }

    [Fact]
    public async Task After_the_visibility_timeout_the_retry_is_a_fresh_receive_with_new_handles()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateFifoAsync("q.fifo");
        await t.SendToGroupAsync("q.fifo", "a", "a1");
        ReceivedMessage first = Assert.Single(await t.ReceiveAttemptAsync("q.fifo", "x", visibility: TimeSpan.FromSeconds(10)));
        t.AdvanceSeconds(10);

        ReceivedMessage again = Assert.Single(await t.ReceiveAttemptAsync("q.fifo", "x"));

        Assert.Equal("a1", TestEngine.Body(again));
        Assert.Equal(2, again.ApproximateReceiveCount);
        Assert.NotEqual(first.ReceiptHandle, again.ReceiptHandle);
    }

    [Fact]
    public async Task An_attempt_is_forgotten_after_five_minutes_even_while_its_messages_are_in_flight()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateFifoAsync("q.fifo");
        await t.SendToGroupAsync("q.fifo", "a", "a1");
        Assert.Single(await t.ReceiveAttemptAsync("q.fifo", "x", visibility: TimeSpan.FromMinutes(10)));

        t.AdvanceSeconds(299);
        Assert.Single(await t.ReceiveAttemptAsync("q.fifo", "x"));

        t.AdvanceSeconds(1);
        Assert.Empty(await t.ReceiveAttemptAsync("q.fifo", "x")); // Fresh: a1 is still in flight, the group locked.
    }

    [Fact]
    public async Task An_attempt_id_must_be_a_valid_fifo_identifier()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateFifoAsync("q.fifo");

        LogQueueException error = await Assert.ThrowsAsync<LogQueueException>(() => t.ReceiveAttemptAsync("q.fifo", "not valid"));

        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
    }

    [Fact]
    public async Task A_standard_queue_ignores_the_attempt_id()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", "m1");
        await t.SendAsync("q", "m2");

        Assert.Equal(["m1"], (await t.ReceiveAttemptAsync("q", "x", max: 1)).Select(TestEngine.Body));
        Assert.Equal(["m2"], (await t.ReceiveAttemptAsync("q", "x", max: 1)).Select(TestEngine.Body));
    }
}
