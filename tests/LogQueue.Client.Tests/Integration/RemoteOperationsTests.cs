using System.Text;
using LogQueue.Client.Tests.Integration.Infrastructure;
using LogQueue.Protocol;
using LogQueue.Protocol.Operations;
using LogQueue.TestSupport;

namespace LogQueue.Client.Tests.Integration;

/// <summary>Every <see cref="ILogQueueClient"/> operation through <see cref="LogQueueClient"/> against the real server process.</summary>
[Trait("Category", "Integration")]
public sealed class RemoteOperationsTests(RealServerFixture fixture) : IClassFixture<RealServerFixture>
{
    private static readonly ReceiveOptions NoWait = new() { WaitTime = TimeSpan.Zero, MaxNumberOfMessages = 10 };

    private LogQueueClient Client => fixture.Client;

    private static OutgoingMessage Text(string body, IReadOnlyDictionary<string, MessageAttribute>? attributes = null, TimeSpan? delay = null) =>
        new(Encoding.UTF8.GetBytes(body), attributes, delay);

    [Fact]
    public async Task Queues_are_created_listed_described_changed_purged_and_deleted()
    {
        var attributes = new Dictionary<string, string> { ["VisibilityTimeout"] = "45" };
        Assert.Equal("ops-orders", await Client.CreateQueueAsync("ops-orders", attributes));
        Assert.Equal("ops-orders", await Client.CreateQueueAsync("ops-orders", attributes)); // idempotent when equal
        await Client.CreateQueueAsync("ops-other");

        Assert.Equal(["ops-orders", "ops-other"], await Client.ListQueuesAsync("ops-o"));
        IReadOnlyDictionary<string, string> all = await Client.GetQueueAttributesAsync("ops-orders");
        Assert.Equal("45", all["VisibilityTimeout"]);
        Assert.Contains("QueueArn", all.Keys);
        Assert.Equal(all.Keys.Order(), (await Client.GetQueueAttributesAsync("ops-orders", ["All"])).Keys.Order());

        await Client.SetQueueAttributesAsync("ops-orders", new Dictionary<string, string> { ["VisibilityTimeout"] = "60" });
        Assert.Equal("60", Assert.Single(await Client.GetQueueAttributesAsync("ops-orders", ["VisibilityTimeout"])).Value);

        var conflict = await Assert.ThrowsAsync<LogQueueException>(() => Client.CreateQueueAsync("ops-orders", new Dictionary<string, string> { ["VisibilityTimeout"] = "5" }));
        Assert.Equal(ErrorCode.QueueNameExists, conflict.Code);

        await Client.SendMessageAsync("ops-orders", Text("a"));
        await Client.SendMessageAsync("ops-orders", Text("b"));
        await Client.PurgeQueueAsync("ops-orders");
        Assert.Empty(await Client.ReceiveMessagesAsync("ops-orders", NoWait));
        var again = await Assert.ThrowsAsync<LogQueueException>(() => Client.PurgeQueueAsync("ops-orders"));
        Assert.Equal(ErrorCode.PurgeQueueInProgress, again.Code);

        await Client.DeleteQueueAsync("ops-other");
        Assert.Equal(["ops-orders"], await Client.ListQueuesAsync("ops-o"));
    }

    [Fact]
    public async Task A_message_keeps_its_attributes_and_a_delayed_one_arrives_after_its_delay()
    {
        QueueClient queue = Client.GetQueue("ops-attributes");
        await queue.CreateAsync();
        var attributes = new Dictionary<string, MessageAttribute>
        {
            ["kind"] = MessageAttribute.FromString("greeting"),
            ["n"] = MessageAttribute.FromNumber("42"),
            ["raw"] = MessageAttribute.FromBinary(new byte[] { 1, 2, 3 }),
        };

        SendMessageResponse sent = await queue.SendAsync(Text("hello", attributes));
        QueueMessage received = Assert.Single(await queue.ReceiveAsync(NoWait));
        Assert.Equal((sent.MessageId, sent.SequenceNumber, "hello", 1), (received.MessageId, received.SequenceNumber, received.BodyAsString(), received.ReceiveCount));
        Assert.Equal(attributes.OrderBy(a => a.Key), received.Attributes.OrderBy(a => a.Key));
        Assert.Equal("ops-attributes", received.QueueName);
        Assert.Null(received.DeadLetterSourceQueue);
        await received.DeleteAsync();

        await queue.SendAsync(Text("later", delay: TimeSpan.FromSeconds(1)));
        Assert.Equal(new QueueStats("ops-attributes", 0, 0, 1), (await Client.GetStatsAsync()).Queues.Single(q => q.QueueName == "ops-attributes"));
        Assert.Empty(await queue.ReceiveAsync(NoWait));
        QueueMessage later = Assert.Single(await queue.ReceiveAsync(new ReceiveOptions { WaitTime = TimeSpan.FromSeconds(10) }));
        Assert.Equal("later", later.BodyAsString());
    }

    [Fact]
    public async Task A_batch_send_reports_each_entry_on_its_own()
    {
        QueueClient queue = Client.GetQueue("ops-batch");
        await queue.CreateAsync();

        // A deduplication id on a standard queue is refused for that entry only.
        IReadOnlyList<SendResult> results = await queue.SendBatchAsync(
            [Text("one"), new OutgoingMessage("deduplicated"u8.ToArray(), MessageDeduplicationId: "d"), Text("three")]);

        Assert.Equal([ErrorCode.None, ErrorCode.InvalidParameterValue, ErrorCode.None], results.Select(r => r.Code));
        Assert.NotNull(results[1].ErrorMessage);
        Assert.True(results[2].SequenceNumber > results[0].SequenceNumber);
        Assert.Equal(["one", "three"], (await queue.ReceiveAsync(NoWait)).Select(m => m.BodyAsString()).Order());
    }

    [Fact]
    public async Task Received_messages_are_deleted_and_their_visibility_changed_singly_and_in_batches()
    {
        QueueClient queue = Client.GetQueue("ops-settle");
        await queue.CreateAsync(new Dictionary<string, string> { ["VisibilityTimeout"] = "600" });
        await queue.SendBatchAsync([Text("1"), Text("2"), Text("3"), Text("4"), Text("5")]);
        IReadOnlyList<QueueMessage> received = await queue.ReceiveAsync(NoWait);
        Assert.Equal(5, received.Count);
        Dictionary<string, QueueMessage> byBody = received.ToDictionary(m => m.BodyAsString());

        await queue.DeleteMessageAsync(byBody["1"].ReceiptHandle);
        IReadOnlyList<EntryResult> deleted = await queue.DeleteMessageBatchAsync([byBody["2"].ReceiptHandle, "not-a-handle"]);
        Assert.Equal(ErrorCode.None, deleted[0].Code);
        Assert.Equal(ErrorCode.ReceiptHandleIsInvalid, deleted[1].Code);

        await queue.ChangeVisibilityAsync(byBody["3"].ReceiptHandle, TimeSpan.Zero);
        IReadOnlyList<EntryResult> changed = await queue.ChangeVisibilityBatchAsync(
            [new VisibilityChange(byBody["4"].ReceiptHandle, TimeSpan.Zero), new VisibilityChange(byBody["5"].ReceiptHandle, TimeSpan.FromHours(13))]);
        Assert.Equal([ErrorCode.None, ErrorCode.InvalidParameterValue], changed.Select(c => c.Code));

        IReadOnlyList<QueueMessage> again = await queue.ReceiveAsync(NoWait);
        Assert.Equal(["3", "4"], again.Select(m => m.BodyAsString()).Order());
        Assert.All(again, m => Assert.Equal(2, m.ReceiveCount));
    }

    [Fact]
    public async Task QueueMessage_deletes_releases_and_extends_itself()
    {
        QueueClient queue = Client.GetQueue("ops-message-methods");
        await queue.CreateAsync(new Dictionary<string, string> { ["VisibilityTimeout"] = "600" });
        await queue.SendAsync("keep");

        QueueMessage first = Assert.Single(await queue.ReceiveAsync(NoWait));
        await first.ExtendVisibilityAsync(TimeSpan.FromSeconds(900));
        Assert.Empty(await queue.ReceiveAsync(NoWait));
        await first.ReleaseAsync();

        QueueMessage second = Assert.Single(await queue.ReceiveAsync(NoWait));
        Assert.Equal((first.MessageId, 2), (second.MessageId, second.ReceiveCount));
        var stale = await Assert.ThrowsAsync<LogQueueException>(() => first.DeleteAsync());
        Assert.Equal(ErrorCode.MessageNotInflight, stale.Code); // the handle of an earlier receive
        await second.DeleteAsync();
        await Assert.ThrowsAsync<LogQueueException>(() => second.ReleaseAsync());

        Assert.Equal(new QueueStats("ops-message-methods", 0, 0, 0), (await Client.GetStatsAsync()).Queues.Single(q => q.QueueName == "ops-message-methods"));
    }

    [Fact]
    public async Task A_dead_letter_is_moved_back_to_its_source_by_a_move_task()
    {
        await Client.CreateQueueAsync("ops-dlq");
        await Client.CreateQueueAsync("ops-work", new Dictionary<string, string>
        {
            ["VisibilityTimeout"] = "0",
            ["RedrivePolicy"] = """{"deadLetterTargetArn":"arn:aws:sqs:local:000000000000:ops-dlq","maxReceiveCount":"1"}""",
        });
        QueueClient work = Client.GetQueue("ops-work");
        await work.SendAsync("poison");
        Assert.Equal("poison", Assert.Single(await work.ReceiveAsync(NoWait)).BodyAsString());
        Assert.Empty(await work.ReceiveAsync(NoWait)); // the second receive moves it to the dead-letter queue

        QueueMessage dead = Assert.Single(await Client.ReceiveMessagesAsync("ops-dlq", NoWait with { VisibilityTimeout = TimeSpan.Zero }));
        Assert.Equal(("poison", "ops-work"), (dead.BodyAsString(), dead.DeadLetterSourceQueue));

        string handle = await Client.StartMessageMoveTaskAsync("ops-dlq");
        Assert.True(await Poll.UntilAsync(() => Client.ListMessageMoveTasksAsync("ops-dlq").Result.Single().Status == "COMPLETED"));
        MessageMoveTask task = Assert.Single(await Client.ListMessageMoveTasksAsync("ops-dlq", maxResults: 10));
        Assert.Equal((handle, "ops-dlq", 1L), (task.TaskHandle, task.SourceQueue, task.ApproximateNumberOfMessagesMoved));
        Assert.Equal("poison", Assert.Single(await work.ReceiveAsync(NoWait)).BodyAsString());

        var finished = await Assert.ThrowsAsync<LogQueueException>(() => Client.CancelMessageMoveTaskAsync(handle));
        Assert.NotEqual(ErrorCode.None, finished.Code);
    }

    [Fact]
    public async Task Ping_round_trips_and_stats_name_the_server_and_count_each_queue()
    {
        await Client.CreateQueueAsync("ops-stats");
        await Client.SendMessageAsync("ops-stats", Text("1"));
        await Client.SendMessageAsync("ops-stats", Text("2"));
        await Client.ReceiveMessagesAsync("ops-stats", new ReceiveOptions { MaxNumberOfMessages = 1, WaitTime = TimeSpan.Zero });

        TimeSpan ping = await Client.PingAsync();
        Assert.InRange(ping, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        StatsResponse stats = await Client.GetStatsAsync();

        Assert.Equal(Client.ServerInfo!.ServerVersion, stats.ServerVersion);
        Assert.True(stats.OpenConnections >= 1);
        Assert.True(stats.RequestsServed >= 4);
        Assert.Equal(new QueueStats("ops-stats", 1, 1, 0), stats.Queues.Single(q => q.QueueName == "ops-stats"));
    }

    [Fact]
    public async Task A_missing_queue_surfaces_as_QueueDoesNotExist_on_every_kind_of_call()
    {
        Func<Task>[] calls =
        [
            () => Client.SendMessageAsync("ops-nope", Text("x")),
            () => Client.SendMessageBatchAsync("ops-nope", [Text("x")]),
            () => Client.ReceiveMessagesAsync("ops-nope", NoWait),
            () => Client.GetQueueAttributesAsync("ops-nope"),
            () => Client.DeleteQueueAsync("ops-nope"),
            () => Client.PurgeQueueAsync("ops-nope"),
        ];

        foreach (Func<Task> call in calls)
        {
            var error = await Assert.ThrowsAsync<LogQueueException>(call);
            Assert.Equal(ErrorCode.QueueDoesNotExist, error.Code);
        }

        // The connection survives refusals.
        Assert.True(Client.IsConnected);
        await Client.PingAsync();
    }

    [Fact]
    public async Task ProcessAsync_handles_every_message_and_deletes_it()
    {
        const int count = 40;
        QueueClient queue = Client.GetQueue("ops-consumer");
        await queue.CreateAsync();
        for (int i = 0; i < count; i += 10)
        {
            await queue.SendBatchAsync([.. Enumerable.Range(i, 10).Select(n => Text($"job-{n}"))]);
        }

        var handled = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        Task processing = queue.ProcessAsync(
            (message, ct) =>
            {
                handled.Add(message.BodyAsString());
                return Task.CompletedTask;
            },
            new ConsumeOptions { MaxConcurrency = 4, WaitTime = TimeSpan.FromSeconds(1) },
            stop.Token);

        // Handled is not yet deleted: wait until the server counts nothing left, visible or in flight.
        Assert.True(await Poll.UntilAsync(() => handled.Count >= count && QueueIsEmpty(queue.QueueName)));
        await stop.CancelAsync();
        await processing.WaitAsync(Poll.DefaultTimeout);

        Assert.Equal(Enumerable.Range(0, count).Select(n => $"job-{n}").Order(), handled.Order());
    }

    private bool QueueIsEmpty(string queueName) =>
        Client.GetStatsAsync().Result.Queues.Single(q => q.QueueName == queueName) == new QueueStats(queueName, 0, 0, 0);
}
