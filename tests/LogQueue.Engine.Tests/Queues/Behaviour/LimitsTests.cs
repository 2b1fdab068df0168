using LogQueue.Engine.Queues;
using LogQueue.Engine.Queues.Messages;

namespace LogQueue.Engine.Tests.Queues.Behaviour;

public class LimitsTests
{
    [Fact]
    public async Task A_new_queue_has_the_defaults_of_the_design_table()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        IReadOnlyDictionary<string, string> a = t.Engine.GetQueueAttributes("q");

        Assert.Equal("30", a["VisibilityTimeout"]);
        Assert.Equal("345600", a["MessageRetentionPeriod"]);
        Assert.Equal("0", a["DelaySeconds"]);
        Assert.Equal("0", a["ReceiveMessageWaitTimeSeconds"]);
        Assert.Equal("1048576", a["MaximumMessageSize"]);
        Assert.False(a.ContainsKey("RedrivePolicy"));
        Assert.False(a.ContainsKey("RedriveAllowPolicy"));

        var engineDefaults = new QueueEngineOptions();
        Assert.Equal(120_000, engineDefaults.MaxInFlightPerQueue);
        Assert.Equal(1 << 20, engineDefaults.MaxAllowedMessageSize);
        Assert.Equal(10, MessageAttributes.MaxCount);
    }

    [Theory]
    [InlineData("VisibilityTimeout", "0", "43200", "-1", "43201")]
    [InlineData("MessageRetentionPeriod", "60", "1209600", "59", "1209601")]
    [InlineData("DelaySeconds", "0", "900", "-1", "901")]
    [InlineData("ReceiveMessageWaitTimeSeconds", "0", "20", "-1", "21")]
    [InlineData("MaximumMessageSize", "1024", "1048576", "1023", "1048577")]
    public async Task Queue_attributes_take_the_ends_of_their_range_and_refuse_values_outside(string attribute, string min, string max, string below, string above)
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("low", (attribute, min));
        await t.CreateQueueAsync("high", (attribute, max));
        Assert.Equal(min, t.Engine.GetQueueAttributes("low", [attribute])[attribute]);
        Assert.Equal(max, t.Engine.GetQueueAttributes("high", [attribute])[attribute]);

        foreach (string bad in new[] { below, above, "ten" })
        {
            var onCreate = await Assert.ThrowsAsync<LogQueueException>(() => t.CreateQueueAsync("bad", (attribute, bad)));
            Assert.Equal(ErrorCode.InvalidAttributeValue, onCreate.Code);
            var onSet = await Assert.ThrowsAsync<LogQueueException>(() => t.Engine.SetQueueAttributesAsync("low", new Dictionary<string, string> { [attribute] = bad }));
            Assert.Equal(ErrorCode.InvalidAttributeValue, onSet.Code);
        }

        Assert.Equal(min, t.Engine.GetQueueAttributes("low", [attribute])[attribute]);
        Assert.DoesNotContain("bad", t.Engine.ListQueues());
    }

    [Fact]
    public async Task Unknown_and_read_only_attributes_are_InvalidAttributeName()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");

        Assert.Equal(ErrorCode.InvalidAttributeName, (await Assert.ThrowsAsync<LogQueueException>(() => t.CreateQueueAsync("x", ("Colour", "blue")))).Code);
        Assert.Equal(ErrorCode.InvalidAttributeName, (await Assert.ThrowsAsync<LogQueueException>(() => t.Engine.SetQueueAttributesAsync("q", new Dictionary<string, string> { ["CreatedTimestamp"] = "1" }))).Code);
        Assert.Equal(ErrorCode.InvalidAttributeName, Assert.Throws<LogQueueException>(() => t.Engine.GetQueueAttributes("q", ["Colour"])).Code);
    }

    [Fact]
    public async Task A_message_of_exactly_the_maximum_size_is_accepted_one_byte_more_is_MessageTooLong()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.Engine.SendMessageAsync("q", new SendMessageRequest(new byte[1 << 20]));

        var ex = await Assert.ThrowsAsync<LogQueueException>(() => t.Engine.SendMessageAsync("q", new SendMessageRequest(new byte[(1 << 20) + 1])));
        Assert.Equal(ErrorCode.MessageTooLong, ex.Code);
        Assert.Equal((1, 0, 0), t.Counts("q"));
        Assert.Equal(1 << 20, Assert.Single(await t.ReceiveAsync("q")).Body.Length);
    }

    [Fact]
    public async Task The_size_limit_counts_body_and_attributes_together()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q", ("MaximumMessageSize", "1024"));

        // Attribute "a" of type String with value "x": 1 + 6 + 1 = 8 bytes.
        MessageAttributes attributes = TestEngine.Attributes(("a", MessageAttributeValue.FromString("x")));
        await t.Engine.SendMessageAsync("q", new SendMessageRequest(new byte[1016], attributes));
        var ex = await Assert.ThrowsAsync<LogQueueException>(() => t.Engine.SendMessageAsync("q", new SendMessageRequest(new byte[1017], attributes)));
        Assert.Equal(ErrorCode.MessageTooLong, ex.Code);
    }

    [Fact]
    public async Task An_empty_body_is_InvalidParameterValue()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        var ex = await Assert.ThrowsAsync<LogQueueException>(() => t.Engine.SendMessageAsync("q", new SendMessageRequest(ReadOnlyMemory<byte>.Empty)));
        Assert.Equal(ErrorCode.InvalidParameterValue, ex.Code);
    }

    [Fact]
    public async Task An_engine_allowing_less_than_1_MiB_makes_its_limit_the_default_and_refuses_larger_messages_per_entry()
    {
        await using TestEngine t = await TestEngine.OpenAsync(configure: o => o.MaxAllowedMessageSize = 64 << 10);
        await t.CreateQueueAsync("q");
        Assert.Equal(64 << 10, t.Attribute("q", "MaximumMessageSize"));

        IReadOnlyList<BatchResultEntry<SendMessageResult>> results = await t.Engine.SendMessageBatchAsync("q",
        [
            ("fits", new SendMessageRequest(new byte[64 << 10])),
            ("over", new SendMessageRequest(new byte[(64 << 10) + 1])),
        ]);
        Assert.True(results[0].Succeeded);
        Assert.Equal(ErrorCode.MessageTooLong, results[1].Error);

        var set = await Assert.ThrowsAsync<LogQueueException>(() => t.Engine.SetQueueAttributesAsync("q", new Dictionary<string, string> { ["MaximumMessageSize"] = "65537" }));
        Assert.Equal(ErrorCode.InvalidAttributeValue, set.Code);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    public async Task MaxNumberOfMessages_must_be_1_to_the_batch_limit(int max)
    {
        await using TestEngine t = await TestEngine.OpenAsync(configure: o => o.MaxBatchSize = 10);
        await t.CreateQueueAsync("q");
        var ex = await Assert.ThrowsAsync<LogQueueException>(() => t.ReceiveAsync("q", max));
        Assert.Equal(ErrorCode.InvalidParameterValue, ex.Code);
        Assert.Empty(await t.ReceiveAsync("q", 10));
    }

    [Fact]
    public async Task Receive_visibility_must_be_0_to_12_hours_and_wait_0_to_20_seconds()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", "m");

        foreach ((TimeSpan? visibility, TimeSpan? wait) in new (TimeSpan?, TimeSpan?)[]
        {
            (TimeSpan.FromSeconds(-1), null),
            (TimeSpan.FromHours(12) + TimeSpan.FromSeconds(1), null),
            (null, TimeSpan.FromSeconds(-1)),
            (null, TimeSpan.FromSeconds(21)),
        })
        {
            var ex = await Assert.ThrowsAsync<LogQueueException>(() => t.ReceiveAsync("q", 1, visibility, wait));
            Assert.Equal(ErrorCode.InvalidParameterValue, ex.Code);
        }

        // Refused receives took nothing; the ends of both ranges are allowed.
        ReceivedMessage message = Assert.Single(await t.ReceiveAsync("q", 1, TimeSpan.FromHours(12), TimeSpan.FromSeconds(20)));
        Assert.Equal(1, message.ApproximateReceiveCount);
    }

    [Fact]
    public async Task A_receive_past_the_in_flight_limit_is_OverLimit_until_one_is_deleted()
    {
        await using TestEngine t = await TestEngine.OpenAsync(configure: o => o.MaxInFlightPerQueue = 3);
        await t.CreateQueueAsync("q");
        for (int i = 0; i < 5; i++)
        {
            await t.SendAsync("q", "m" + i);
        }

        Assert.Equal(2, (await t.ReceiveAsync("q", 2)).Count);
        IReadOnlyList<ReceivedMessage> upToTheLimit = await t.ReceiveAsync("q", 10);
        ReceivedMessage third = Assert.Single(upToTheLimit);
        var ex = await Assert.ThrowsAsync<LogQueueException>(() => t.ReceiveAsync("q"));
        Assert.Equal(ErrorCode.OverLimit, ex.Code);

        await t.Engine.DeleteMessageAsync("q", third.ReceiptHandle);
        Assert.Single(await t.ReceiveAsync("q"));
    }

    [Fact]
    public async Task The_in_flight_limit_never_fails_a_send_that_wakes_waiting_receives()
    {
        await using TestEngine t = await TestEngine.OpenAsync(configure: o => o.MaxInFlightPerQueue = 1);
        await t.CreateQueueAsync("q");
        Task<IReadOnlyList<ReceivedMessage>> first = t.ReceiveAsync("q", 1, wait: TimeSpan.FromSeconds(20));
        Task<IReadOnlyList<ReceivedMessage>> second = t.ReceiveAsync("q", 1, wait: TimeSpan.FromSeconds(20));

        await t.SendAsync("q", "a");
        await t.SendAsync("q", "b");
        Assert.Equal("a", TestEngine.Body(Assert.Single(await first.WaitAsync(TestEngine.Bound))));
        Assert.Equal((1, 1, 0), t.Counts("q"));

        // The second waiter is served once there is room again.
        ReceivedMessage taken = (await first)[0];
        await t.Engine.DeleteMessageAsync("q", taken.ReceiptHandle);
        Assert.Equal("b", TestEngine.Body(Assert.Single(await second.WaitAsync(TestEngine.Bound))));
    }

    [Fact]
    public async Task Queue_names_are_1_to_80_letters_digits_hyphens_and_underscores()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync(new string('a', 80));
        await t.CreateQueueAsync("A-z_0-9");

        foreach (string bad in new[] { string.Empty, new string('a', 81), "has space", "dot.ted", "slash/name", "caf\u00e9" })
        {
            var ex = await Assert.ThrowsAsync<LogQueueException>(() => t.CreateQueueAsync(bad));
            Assert.Equal(ErrorCode.InvalidParameterValue, ex.Code);
        }

        Assert.Equal(2, t.Engine.ListQueues().Count);
    }

    [Fact]
    public async Task A_fifo_queue_is_made_only_from_a_fifo_name_with_FifoQueue_true()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        Assert.Equal(ErrorCode.InvalidParameterValue, (await Assert.ThrowsAsync<LogQueueException>(() => t.CreateQueueAsync("q.fifo"))).Code);
        Assert.Equal(ErrorCode.InvalidAttributeName, (await Assert.ThrowsAsync<LogQueueException>(() => t.CreateQueueAsync("q", ("FifoQueue", "true")))).Code);
        Assert.Empty(t.Engine.ListQueues());
        await t.CreateQueueAsync("q.fifo", ("FifoQueue", "true"));
        Assert.Equal(["q.fifo"], t.Engine.ListQueues());
    }
}
