using LogQueue.Engine.Queues;
using LogQueue.Engine.Queues.Messages;
using LogQueue.Engine.Queues.Redrive;
using LogQueue.TestSupport;

namespace LogQueue.Engine.Tests.Queues.Behaviour;

public class MessageMoveTaskTests
{
    private static async Task<MessageMoveTaskStatus> FinishedAsync(TestEngine t, string source, string handle)
    {
        await t.Engine.WaitForMoveTaskAsync(handle).WaitAsync(TestEngine.Bound);
        return Assert.Single(t.Engine.ListMessageMoveTasks(source, 10), s => s.TaskHandle == handle);
    }

    private static async Task SendManyAsync(TestEngine t, string queue, int count)
    {
        for (int i = 0; i < count; i++)
        {
            await t.SendAsync(queue, "m" + i);
        }
    }

    [Fact]
    public async Task Without_a_destination_each_dead_letter_goes_back_to_the_queue_it_came_from()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await DeadLetterQueueTests.CreateWithDeadLetterQueueAsync(t, 1, "a", "dlq");
        await t.CreateQueueAsync("b", ("RedrivePolicy", DeadLetterQueueTests.Policy("dlq", 1)));
        MessageAttributes attributes = TestEngine.Attributes(("k", MessageAttributeValue.FromString("v")));
        await t.SendAsync("a", "from-a", attributes: attributes);
        long sentAt = t.NowMs;
        t.AdvanceSeconds(1);
        await t.SendAsync("b", "from-b");
        foreach (string queue in new[] { "a", "b" })
        {
            await DeadLetterQueueTests.ReceiveAndAbandonAsync(t, queue);
            Assert.Empty(await t.ReceiveAsync(queue));
        }

        Assert.Equal((2, 0, 0), t.Counts("dlq"));

        string handle = t.Engine.StartMessageMoveTask("dlq");
        MessageMoveTaskStatus status = await FinishedAsync(t, "dlq", handle);
        Assert.Equal("COMPLETED", status.Status);
        Assert.Equal(2, status.ApproximateNumberOfMessagesMoved);
        Assert.Equal(2, status.ApproximateNumberOfMessagesToMove);
        Assert.Null(status.DestinationQueue);
        Assert.Equal((0, 0, 0), t.Counts("dlq"));

        ReceivedMessage back = await t.ReceiveOneAsync("a");
        Assert.Equal("from-a", TestEngine.Body(back));
        Assert.Equal(sentAt, back.SentTimestamp);
        Assert.Equal("v", back.Attributes["k"].StringValue);
        Assert.Null(back.DeadLetterSourceQueue);
        Assert.Equal(["from-b"], await t.ReceiveBodiesAsync("b"));
    }

    [Fact]
    public async Task With_a_destination_every_message_goes_to_that_queue()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await DeadLetterQueueTests.CreateWithDeadLetterQueueAsync(t, 1);
        await t.CreateQueueAsync("elsewhere");
        await t.SendAsync("src", "poison");
        await DeadLetterQueueTests.ReceiveAndAbandonAsync(t, "src");
        Assert.Empty(await t.ReceiveAsync("src"));
        await t.SendAsync("dlq", "direct");

        string handle = t.Engine.StartMessageMoveTask("dlq", "elsewhere");
        MessageMoveTaskStatus status = await FinishedAsync(t, "dlq", handle);
        Assert.Equal("COMPLETED", status.Status);
        Assert.Equal("elsewhere", status.DestinationQueue);
        Assert.Equal(2, status.ApproximateNumberOfMessagesMoved);

        Assert.Equal(["direct", "poison"], (await t.ReceiveBodiesAsync("elsewhere")).Order(StringComparer.Ordinal));
        Assert.Empty(await t.ReceiveAsync("src"));
        Assert.Empty(await t.ReceiveAsync("dlq"));
    }

    [Fact]
    public async Task A_message_with_no_source_queue_fails_a_task_without_a_destination_and_stays()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("dlq");
        await t.SendAsync("dlq", "orphan");

        string handle = t.Engine.StartMessageMoveTask("dlq");
        MessageMoveTaskStatus status = await FinishedAsync(t, "dlq", handle);
        Assert.Equal("FAILED", status.Status);
        Assert.False(string.IsNullOrEmpty(status.FailureReason));
        Assert.Equal(0, status.ApproximateNumberOfMessagesMoved);

        // The message is not lost: it is back once the task's hold on it ends.
        t.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(["orphan"], await t.ReceiveBodiesAsync("dlq"));
    }

    [Fact]
    public async Task A_dead_letter_whose_source_queue_is_gone_fails_the_task_and_stays()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await DeadLetterQueueTests.CreateWithDeadLetterQueueAsync(t, 1);
        await t.SendAsync("src", "poison");
        await DeadLetterQueueTests.ReceiveAndAbandonAsync(t, "src");
        Assert.Empty(await t.ReceiveAsync("src"));
        await t.Engine.DeleteQueueAsync("src");

        string handle = t.Engine.StartMessageMoveTask("dlq");
        MessageMoveTaskStatus status = await FinishedAsync(t, "dlq", handle);
        Assert.Equal("FAILED", status.Status);
        Assert.Contains("src", status.FailureReason, StringComparison.Ordinal);
        t.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(["poison"], await t.ReceiveBodiesAsync("dlq"));
    }

    [Fact]
    public async Task A_queue_cannot_be_moved_into_itself()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("dlq");
        await SendManyAsync(t, "dlq", 3);

        var ex = Assert.Throws<LogQueueException>(() => t.Engine.StartMessageMoveTask("dlq", "dlq"));
        Assert.Equal(ErrorCode.InvalidParameterValue, ex.Code);
        Assert.Empty(t.Engine.ListMessageMoveTasks("dlq"));
        Assert.Equal((3, 0, 0), t.Counts("dlq"));
    }

    [Fact]
    public async Task A_rate_limit_moves_no_more_than_the_rate_allows()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("dlq");
        await t.CreateQueueAsync("target");
        await SendManyAsync(t, "dlq", 5);

        long startedMs = t.NowMs;
        string handle = t.Engine.StartMessageMoveTask("dlq", "target", maxNumberOfMessagesPerSecond: 2);
        var overRate = new List<string>();
        bool completed = await Poll.UntilAsync(
            () =>
            {
                MessageMoveTaskStatus status = t.Engine.ListMessageMoveTasks("dlq")[0];
                double elapsed = (t.NowMs - startedMs) / 1000.0;
                if (status.ApproximateNumberOfMessagesMoved > Math.Floor(elapsed * 2) + 1)
                {
                    overRate.Add($"{status.ApproximateNumberOfMessagesMoved} moved after {elapsed} s");
                }

                return status.Status == "COMPLETED";
            },
            beforeEachCheck: () => t.Advance(TimeSpan.FromMilliseconds(100)));

        Assert.True(completed);
        Assert.Empty(overRate);
        Assert.True(t.NowMs - startedMs >= 2000, "5 messages at 2 per second take at least 2 s after the first");
        MessageMoveTaskStatus done = await FinishedAsync(t, "dlq", handle);
        Assert.Equal(2, done.MaxNumberOfMessagesPerSecond);
        Assert.Equal(5, done.ApproximateNumberOfMessagesMoved);
        Assert.Equal(5, (await t.ReceiveAsync("target")).Count);
    }

    [Fact]
    public async Task A_cancelled_task_stops_and_leaves_the_rest_in_the_source()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("dlq");
        await t.CreateQueueAsync("target");
        await SendManyAsync(t, "dlq", 5);

        string handle = t.Engine.StartMessageMoveTask("dlq", "target", maxNumberOfMessagesPerSecond: 1);
        Assert.True(await Poll.UntilAsync(() => t.Engine.ListMessageMoveTasks("dlq")[0].ApproximateNumberOfMessagesMoved == 1));
        Assert.Equal("RUNNING", t.Engine.ListMessageMoveTasks("dlq")[0].Status);

        Assert.Equal(1, t.Engine.CancelMessageMoveTask(handle));
        MessageMoveTaskStatus status = await FinishedAsync(t, "dlq", handle);
        Assert.Equal("CANCELLED", status.Status);
        Assert.Equal(1, status.ApproximateNumberOfMessagesMoved);
        Assert.Equal((4, 0, 0), t.Counts("dlq"));
        Assert.Equal((1, 0, 0), t.Counts("target"));

        // Time passing after the cancel moves nothing more.
        t.AdvanceSeconds(10);
        Assert.Equal((4, 0, 0), t.Counts("dlq"));
    }

    [Fact]
    public async Task Tasks_are_listed_most_recent_first_with_their_progress()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("dlq");
        await t.CreateQueueAsync("target");
        Assert.Empty(t.Engine.ListMessageMoveTasks("dlq"));

        await SendManyAsync(t, "dlq", 2);
        string first = t.Engine.StartMessageMoveTask("dlq", "target");
        await FinishedAsync(t, "dlq", first);
        await SendManyAsync(t, "dlq", 3);
        string second = t.Engine.StartMessageMoveTask("dlq", "target");
        await FinishedAsync(t, "dlq", second);

        IReadOnlyList<MessageMoveTaskStatus> listed = t.Engine.ListMessageMoveTasks("dlq", 10);
        Assert.Equal([second, first], listed.Select(s => s.TaskHandle));
        Assert.Equal([3L, 2L], listed.Select(s => s.ApproximateNumberOfMessagesMoved));
        Assert.Equal([3L, 2L], listed.Select(s => s.ApproximateNumberOfMessagesToMove));
        Assert.All(listed, s => Assert.Equal("dlq", s.SourceQueue));
        Assert.Equal([second], t.Engine.ListMessageMoveTasks("dlq").Select(s => s.TaskHandle));
        Assert.Empty(t.Engine.ListMessageMoveTasks("target", 10));
    }

    [Fact]
    public async Task Bad_requests_have_stable_codes()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("dlq");
        await t.CreateQueueAsync("target");

        Assert.Equal(ErrorCode.QueueDoesNotExist, Assert.Throws<LogQueueException>(() => t.Engine.StartMessageMoveTask("missing")).Code);
        Assert.Equal(ErrorCode.QueueDoesNotExist, Assert.Throws<LogQueueException>(() => t.Engine.StartMessageMoveTask("dlq", "missing")).Code);
        Assert.Equal(ErrorCode.InvalidParameterValue, Assert.Throws<LogQueueException>(() => t.Engine.StartMessageMoveTask("dlq", "target", 0)).Code);
        Assert.Equal(ErrorCode.InvalidParameterValue, Assert.Throws<LogQueueException>(() => t.Engine.StartMessageMoveTask("dlq", "target", 501)).Code);
        Assert.Equal(ErrorCode.InvalidParameterValue, Assert.Throws<LogQueueException>(() => t.Engine.ListMessageMoveTasks("dlq", 0)).Code);
        Assert.Equal(ErrorCode.InvalidParameterValue, Assert.Throws<LogQueueException>(() => t.Engine.ListMessageMoveTasks("dlq", 11)).Code);
        Assert.Equal(ErrorCode.QueueDoesNotExist, Assert.Throws<LogQueueException>(() => t.Engine.ListMessageMoveTasks("missing")).Code);
        Assert.Equal(ErrorCode.ResourceNotFound, Assert.Throws<LogQueueException>(() => t.Engine.CancelMessageMoveTask("no-such-task")).Code);

        await SendManyAsync(t, "dlq", 3);
        string running = t.Engine.StartMessageMoveTask("dlq", "target", maxNumberOfMessagesPerSecond: 1);
        Assert.Equal(ErrorCode.UnsupportedOperation, Assert.Throws<LogQueueException>(() => t.Engine.StartMessageMoveTask("dlq", "target")).Code);
        t.Engine.CancelMessageMoveTask(running);
        await FinishedAsync(t, "dlq", running);
        Assert.Equal(ErrorCode.UnsupportedOperation, Assert.Throws<LogQueueException>(() => t.Engine.CancelMessageMoveTask(running)).Code);

        // Once the first has ended, another may start.
        string next = t.Engine.StartMessageMoveTask("dlq", "target");
        Assert.Equal("COMPLETED", (await FinishedAsync(t, "dlq", next)).Status);
    }
}
