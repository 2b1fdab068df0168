using LogQueue.Engine.Queues;
using LogQueue.Engine.Queues.Messages;

namespace LogQueue.Engine.Tests.Queues.Behaviour;

public class DeadLetterQueueTests
{
    private static readonly TimeSpan Visibility = TimeSpan.FromSeconds(10);

    internal static string Policy(string target, int maxReceiveCount) =>
        $$"""{"deadLetterTargetArn":"{{target}}","maxReceiveCount":{{maxReceiveCount}}}""";

    internal static async Task CreateWithDeadLetterQueueAsync(TestEngine t, int maxReceiveCount, string source = "src", string dlq = "dlq")
    {
        await t.CreateQueueAsync(dlq);
        await t.CreateQueueAsync(source, ("RedrivePolicy", Policy(dlq, maxReceiveCount)));
    }

    // Receives the message once and lets its visibility timeout run out.
    internal static async Task<ReceivedMessage?> ReceiveAndAbandonAsync(TestEngine t, string queue)
    {
        IReadOnlyList<ReceivedMessage> got = await t.ReceiveAsync(queue, 10, Visibility);
        t.Advance(Visibility);
        return got.Count == 0 ? null : Assert.Single(got);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task A_message_is_received_exactly_maxReceiveCount_times_and_the_next_receive_moves_it(int maxReceiveCount)
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await CreateWithDeadLetterQueueAsync(t, maxReceiveCount);
        await t.SendAsync("src", "poison");

        for (int i = 1; i <= maxReceiveCount; i++)
        {
            ReceivedMessage? message = await ReceiveAndAbandonAsync(t, "src");
            Assert.NotNull(message);
            Assert.Equal(i, message.ApproximateReceiveCount);
            Assert.Equal((0, 0, 0), t.Counts("dlq"));
        }

        Assert.Empty(await t.ReceiveAsync("src"));
        Assert.Equal((0, 0, 0), t.Counts("src"));
        Assert.Equal((1, 0, 0), t.Counts("dlq"));
        t.AdvanceSeconds(60);
        Assert.Empty(await t.ReceiveAsync("src"));
    }

    [Fact]
    public async Task The_dead_letter_keeps_body_attributes_and_sent_time_and_names_its_source_queue()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await CreateWithDeadLetterQueueAsync(t, 1);
        MessageAttributes attributes = TestEngine.Attributes(
            ("kind", MessageAttributeValue.FromString("order")),
            ("n", MessageAttributeValue.FromNumber("42")),
            ("blob", MessageAttributeValue.FromBinary(new byte[] { 0, 1, 2 })));
        await t.SendAsync("src", "poison", attributes: attributes);
        long sentAt = t.NowMs;
        t.AdvanceSeconds(3);

        ReceivedMessage original = (await ReceiveAndAbandonAsync(t, "src"))!;
        Assert.Equal(sentAt, original.SentTimestamp);
        Assert.Null(original.DeadLetterSourceQueue);
        Assert.Empty(await t.ReceiveAsync("src"));

        ReceivedMessage dead = await t.ReceiveOneAsync("dlq");
        Assert.Equal("poison", TestEngine.Body(dead));
        Assert.Equal(sentAt, dead.SentTimestamp);
        Assert.Equal("src", dead.DeadLetterSourceQueue);
        Assert.Equal(3, dead.Attributes.Count);
        Assert.Equal(attributes["kind"], dead.Attributes["kind"]);
        Assert.Equal(attributes["n"], dead.Attributes["n"]);
        Assert.Equal(attributes["blob"], dead.Attributes["blob"]);
    }

    [Fact]
    public async Task Only_the_message_over_its_count_moves_the_others_are_delivered_by_the_same_receive()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await CreateWithDeadLetterQueueAsync(t, 1);
        await t.SendAsync("src", "poison");
        await ReceiveAndAbandonAsync(t, "src");
        await t.SendAsync("src", "fresh");

        Assert.Equal(["fresh"], await t.ReceiveBodiesAsync("src"));
        Assert.Equal(["poison"], await t.ReceiveBodiesAsync("dlq"));
    }

    [Fact]
    public async Task A_message_deleted_before_its_next_receive_never_moves()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await CreateWithDeadLetterQueueAsync(t, 1);
        await t.SendAsync("src", "m");
        ReceivedMessage message = await t.ReceiveOneAsync("src");
        await t.Engine.DeleteMessageAsync("src", message.ReceiptHandle);

        t.AdvanceSeconds(60);
        Assert.Empty(await t.ReceiveAsync("src"));
        Assert.Equal((0, 0, 0), t.Counts("dlq"));
    }

    [Fact]
    public async Task A_long_poll_woken_by_a_returning_poison_message_moves_it()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await CreateWithDeadLetterQueueAsync(t, 1);
        await t.SendAsync("src", "poison");
        await t.ReceiveAsync("src", 1, Visibility);

        Task<IReadOnlyList<ReceivedMessage>> waiting = t.ReceiveAsync("src", wait: TimeSpan.FromSeconds(20));
        t.Advance(Visibility);

        // The move runs off the timer's thread: append to the dead-letter queue, then delete here.
        Assert.True(await TestSupport.Poll.UntilAsync(() => t.Counts("dlq") == (1, 0, 0) && t.Counts("src") == (0, 0, 0)));

        // The waiter did not get the dead letter; it goes on waiting for a message it may have.
        Assert.False(waiting.IsCompleted);
        await t.SendAsync("src", "good");
        Assert.Equal(["good"], (await waiting.WaitAsync(TestEngine.Bound)).Select(TestEngine.Body));
    }

    [Fact]
    public async Task A_long_poll_that_meets_only_a_dead_letter_keeps_waiting()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await CreateWithDeadLetterQueueAsync(t, 1);
        await t.SendAsync("src", "poison");
        await ReceiveAndAbandonAsync(t, "src");

        Task<IReadOnlyList<ReceivedMessage>> waiting = t.ReceiveAsync("src", wait: TimeSpan.FromSeconds(20));
        Assert.True(await TestSupport.Poll.UntilAsync(() => t.Counts("dlq") == (1, 0, 0) && t.Counts("src") == (0, 0, 0)));
        Assert.False(waiting.IsCompleted);

        await t.SendAsync("src", "good");
        Assert.Equal(["good"], (await waiting.WaitAsync(TestEngine.Bound)).Select(TestEngine.Body));
    }

    [Fact]
    public async Task A_policy_added_later_applies_to_receive_counts_already_reached()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("dlq");
        await t.CreateQueueAsync("src");
        await t.SendAsync("src", "m");
        await ReceiveAndAbandonAsync(t, "src");
        await ReceiveAndAbandonAsync(t, "src");

        await t.Engine.SetQueueAttributesAsync("src", new Dictionary<string, string> { ["RedrivePolicy"] = Policy("dlq", 2) });
        Assert.Empty(await t.ReceiveAsync("src"));
        Assert.Equal(["m"], await t.ReceiveBodiesAsync("dlq"));
    }

    [Fact]
    public async Task A_removed_policy_stops_moving()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await CreateWithDeadLetterQueueAsync(t, 1);
        await t.SendAsync("src", "m");
        await ReceiveAndAbandonAsync(t, "src");

        await t.Engine.SetQueueAttributesAsync("src", new Dictionary<string, string> { ["RedrivePolicy"] = string.Empty });
        ReceivedMessage again = await t.ReceiveOneAsync("src");
        Assert.Equal(2, again.ApproximateReceiveCount);
    }

    [Fact]
    public async Task A_policy_must_name_an_existing_other_queue_that_allows_this_source()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("closed", ("RedriveAllowPolicy", """{"redrivePermission":"denyAll"}"""));
        await t.CreateQueueAsync("picky", ("RedriveAllowPolicy", """{"redrivePermission":"byQueue","sourceQueueArns":["arn:aws:sqs:logqueue:000000000000:chosen"]}"""));

        async Task<ErrorCode> CreateAsync(string name, string target) =>
            (await Assert.ThrowsAsync<LogQueueException>(() => t.CreateQueueAsync(name, ("RedrivePolicy", Policy(target, 3))))).Code;

        Assert.Equal(ErrorCode.InvalidAttributeValue, await CreateAsync("src", "missing"));
        Assert.Equal(ErrorCode.InvalidAttributeValue, await CreateAsync("src", "src"));
        Assert.Equal(ErrorCode.InvalidAttributeValue, await CreateAsync("src", "closed"));
        Assert.Equal(ErrorCode.InvalidAttributeValue, await CreateAsync("src", "picky"));
        Assert.Empty(t.Engine.ListQueues("src"));

        await t.CreateQueueAsync("chosen", ("RedrivePolicy", Policy("picky", 3)));
        Assert.Contains("picky", t.Engine.GetQueueAttributes("chosen", [QueueAttributeNames.RedrivePolicy])[QueueAttributeNames.RedrivePolicy], StringComparison.Ordinal);

        await t.CreateQueueAsync("plain");
        var set = await Assert.ThrowsAsync<LogQueueException>(() => t.Engine.SetQueueAttributesAsync("plain", new Dictionary<string, string> { ["RedrivePolicy"] = Policy("closed", 3) }));
        Assert.Equal(ErrorCode.InvalidAttributeValue, set.Code);
        Assert.False(t.Engine.GetQueueAttributes("plain").ContainsKey(QueueAttributeNames.RedrivePolicy));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public async Task maxReceiveCount_must_be_1_to_1000(int count)
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("dlq");
        var ex = await Assert.ThrowsAsync<LogQueueException>(() => t.CreateQueueAsync("src", ("RedrivePolicy", Policy("dlq", count))));
        Assert.Equal(ErrorCode.InvalidAttributeValue, ex.Code);
    }
}
