using System.Text;
using LogQueue.Engine.Queues;
using LogQueue.Protocol;
using LogQueue.Protocol.Operations;
using LogQueue.TestSupport;
using Microsoft.Extensions.Options;

namespace LogQueue.Client.Tests.Embedded;

public sealed class EmbeddedClientTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _directory = new("embedded-client");
    private EmbeddedLogQueueClient _client = null!;

    public async Task InitializeAsync() =>
        _client = await EmbeddedLogQueueClient.OpenAsync(Options.Create(new QueueEngineOptions { DataDirectory = _directory.Path }));

    public async Task DisposeAsync() => await _client.DisposeAsync();

    public void Dispose() => _directory.Dispose();

    private static OutgoingMessage Text(string body, IReadOnlyDictionary<string, MessageAttribute>? attributes = null) =>
        new(Encoding.UTF8.GetBytes(body), attributes);

    private static readonly ReceiveOptions NoWait = new() { WaitTime = TimeSpan.Zero, MaxNumberOfMessages = 10 };

    [Fact]
    public async Task Queues_are_created_listed_described_changed_and_deleted()
    {
        Assert.Equal("orders", await _client.CreateQueueAsync("orders", new Dictionary<string, string> { ["VisibilityTimeout"] = "45" }));
        await _client.CreateQueueAsync("orders", new Dictionary<string, string> { ["VisibilityTimeout"] = "45" });
        await _client.CreateQueueAsync("other");

        Assert.Equal(["orders", "other"], await _client.ListQueuesAsync());
        Assert.Equal(["orders"], await _client.ListQueuesAsync("ord"));
        Assert.Equal("45", (await _client.GetQueueAttributesAsync("orders"))["VisibilityTimeout"]);

        await _client.SetQueueAttributesAsync("orders", new Dictionary<string, string> { ["VisibilityTimeout"] = "60" });
        IReadOnlyDictionary<string, string> selected = await _client.GetQueueAttributesAsync("orders", ["VisibilityTimeout"]);
        Assert.Equal("60", Assert.Single(selected).Value);

        var conflict = await Assert.ThrowsAsync<LogQueueException>(() => _client.CreateQueueAsync("orders", new Dictionary<string, string> { ["VisibilityTimeout"] = "5" }));
        Assert.Equal(ErrorCode.QueueNameExists, conflict.Code);

        await _client.DeleteQueueAsync("other");
        Assert.Equal(["orders"], await _client.ListQueuesAsync());
    }

    [Fact]
    public async Task Engine_errors_arrive_as_LogQueueException_with_the_same_code()
    {
        var missing = await Assert.ThrowsAsync<LogQueueException>(() => _client.SendMessageAsync("nope", Text("x")));
        Assert.Equal(ErrorCode.QueueDoesNotExist, missing.Code);

        var badAttribute = await Assert.ThrowsAsync<LogQueueException>(() => _client.GetQueueAttributesAsync("nope"));
        Assert.Equal(ErrorCode.QueueDoesNotExist, badAttribute.Code);

        await _client.CreateQueueAsync("q");
        var unknownName = await Assert.ThrowsAsync<LogQueueException>(() => _client.GetQueueAttributesAsync("q", ["NoSuchAttribute"]));
        Assert.Equal(ErrorCode.InvalidAttributeName, unknownName.Code);
    }

    [Fact]
    public async Task A_message_is_sent_received_with_its_attributes_and_deleted()
    {
        QueueClient queue = _client.GetQueue("q");
        await queue.CreateAsync();
        var attributes = new Dictionary<string, MessageAttribute>
        {
            ["kind"] = MessageAttribute.FromString("greeting"),
            ["n"] = MessageAttribute.FromNumber("42"),
            ["raw"] = MessageAttribute.FromBinary(new byte[] { 1, 2, 3 }),
        };

        SendMessageResponse sent = await queue.SendAsync(Text("hello", attributes));
        QueueMessage received = Assert.Single(await queue.ReceiveAsync(NoWait));

        Assert.Equal(sent.MessageId, received.MessageId);
        Assert.Equal(sent.SequenceNumber, received.SequenceNumber);
        Assert.Equal("hello", received.BodyAsString());
        Assert.Equal("greeting", received.Attributes["kind"].StringValue);
        Assert.Equal("42", received.Attributes["n"].StringValue);
        Assert.Equal(new byte[] { 1, 2, 3 }, received.Attributes["raw"].BinaryValue.ToArray());
        Assert.Equal(1, received.ReceiveCount);

        await received.DeleteAsync();
        Assert.Empty(await queue.ReceiveAsync(NoWait));
        Assert.Equal("0", (await queue.GetAttributesAsync())["ApproximateNumberOfMessagesNotVisible"]);
    }

    [Fact]
    public async Task A_released_message_comes_back_and_an_extended_one_does_not()
    {
        QueueClient queue = _client.GetQueue("q");
        await queue.CreateAsync();
        await queue.SendAsync("a");

        QueueMessage first = Assert.Single(await queue.ReceiveAsync(NoWait));
        await first.ExtendVisibilityAsync(TimeSpan.FromMinutes(5));
        Assert.Empty(await queue.ReceiveAsync(NoWait));

        await first.ReleaseAsync();
        QueueMessage again = Assert.Single(await queue.ReceiveAsync(NoWait));
        Assert.Equal(2, again.ReceiveCount);

        var stale = await Assert.ThrowsAnyAsync<LogQueueException>(() => first.DeleteAsync());
        Assert.Contains(stale.Code, new[] { ErrorCode.MessageNotInflight, ErrorCode.ReceiptHandleIsInvalid });
    }

    [Fact]
    public async Task Batches_report_each_entry_in_entry_order()
    {
        QueueClient queue = _client.GetQueue("q");
        await queue.CreateAsync();

        IReadOnlyList<SendResult> sent = await queue.SendBatchAsync([Text("a"), new OutgoingMessage("b"u8.ToArray(), MessageDeduplicationId: "d"), Text("c")]);
        Assert.True(sent[0].Succeeded);
        Assert.Equal(ErrorCode.InvalidParameterValue, sent[1].Code);
        Assert.True(sent[2].Succeeded);
        Assert.True(sent[0].SequenceNumber < sent[2].SequenceNumber);

        IReadOnlyList<QueueMessage> received = await queue.ReceiveAsync(NoWait);
        Assert.Equal(["a", "c"], received.Select(m => m.BodyAsString()).Order());

        IReadOnlyList<EntryResult> changed = await queue.ChangeVisibilityBatchAsync([new VisibilityChange(received[0].ReceiptHandle, TimeSpan.FromMinutes(1)), new VisibilityChange("garbage", TimeSpan.Zero)]);
        Assert.True(changed[0].Succeeded);
        Assert.Equal(ErrorCode.ReceiptHandleIsInvalid, changed[1].Code);

        IReadOnlyList<EntryResult> deleted = await queue.DeleteMessageBatchAsync(["garbage", received[0].ReceiptHandle, received[1].ReceiptHandle]);
        Assert.False(deleted[0].Succeeded);
        Assert.True(deleted[1].Succeeded);
        Assert.True(deleted[2].Succeeded);

        var empty = await Assert.ThrowsAsync<LogQueueException>(() => queue.SendBatchAsync([]));
        Assert.Equal(ErrorCode.EmptyBatchRequest, empty.Code);
        var tooMany = await Assert.ThrowsAsync<LogQueueException>(() => queue.SendBatchAsync([.. Enumerable.Range(0, 101).Select(i => Text("x"))]));
        Assert.Equal(ErrorCode.TooManyEntriesInBatchRequest, tooMany.Code);
    }

    [Fact]
    public async Task A_deduplication_id_on_a_standard_queue_is_refused_as_an_invalid_parameter()
    {
        await _client.CreateQueueAsync("q");

        var error = await Assert.ThrowsAsync<LogQueueException>(() => _client.SendMessageAsync("q", new OutgoingMessage("x"u8.ToArray(), MessageDeduplicationId: "d")));

        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
    }

    [Fact]
    public async Task A_long_poll_returns_a_message_sent_while_it_waits()
    {
        QueueClient queue = _client.GetQueue("q");
        await queue.CreateAsync();

        Task<IReadOnlyList<QueueMessage>> polling = queue.ReceiveAsync(new ReceiveOptions { WaitTime = TimeSpan.FromSeconds(10) });
        await queue.SendAsync("late");

        Assert.Equal("late", Assert.Single(await polling).BodyAsString());
    }

    [Fact]
    public async Task A_cancelled_long_poll_throws_OperationCanceledException()
    {
        await _client.CreateQueueAsync("q");
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _client.ReceiveMessagesAsync("q", new ReceiveOptions { WaitTime = TimeSpan.FromSeconds(10) }, cts.Token));
    }

    [Fact]
    public async Task Purge_empties_the_queue()
    {
        QueueClient queue = _client.GetQueue("q");
        await queue.CreateAsync();
        await queue.SendAsync("a");
        await queue.SendAsync("b");

        await queue.PurgeAsync();

        Assert.Empty(await queue.ReceiveAsync(NoWait));
    }

    [Fact]
    public async Task Dead_letters_move_back_to_their_source_with_a_move_task()
    {
        await _client.CreateQueueAsync("dlq");
        await _client.CreateQueueAsync("work", new Dictionary<string, string>
        {
            ["RedrivePolicy"] = """{"deadLetterTargetArn":"arn:aws:sqs:local:000000000000:dlq","maxReceiveCount":"1"}""",
        });
        QueueClient work = _client.GetQueue("work");
        await work.SendAsync("poison");
        QueueMessage first = Assert.Single(await work.ReceiveAsync(NoWait));
        await first.ReleaseAsync();
        Assert.Empty(await work.ReceiveAsync(NoWait)); // the second receive moves it to the dead-letter queue

        string handle = await _client.StartMessageMoveTaskAsync("dlq");
        Assert.True(await Poll.UntilAsync(() => _client.ListMessageMoveTasksAsync("dlq").Result.Single().Status == "COMPLETED"));
        MessageMoveTask task = Assert.Single(await _client.ListMessageMoveTasksAsync("dlq"));
        Assert.Equal(handle, task.TaskHandle);
        Assert.Equal(1, task.ApproximateNumberOfMessagesMoved);
        Assert.Equal("poison", Assert.Single(await work.ReceiveAsync(NoWait)).BodyAsString());

        var finished = await Assert.ThrowsAsync<LogQueueException>(() => _client.CancelMessageMoveTaskAsync(handle));
        Assert.NotEqual(ErrorCode.None, finished.Code);
    }

    [Fact]
    public async Task Ping_is_near_zero_and_stats_count_each_queue()
    {
        await _client.CreateQueueAsync("a");
        await _client.CreateQueueAsync("b");
        await _client.SendMessageAsync("a", Text("1"));
        await _client.SendMessageAsync("a", Text("2"));
        await _client.ReceiveMessagesAsync("a", new ReceiveOptions { MaxNumberOfMessages = 1, WaitTime = TimeSpan.Zero });

        Assert.True(await _client.PingAsync() < TimeSpan.FromSeconds(1));
        StatsResponse stats = await _client.GetStatsAsync();

        Assert.StartsWith("embedded", stats.ServerVersion, StringComparison.Ordinal);
        Assert.Equal("always", stats.Durability);
        Assert.Equal(new QueueStats("a", 1, 1, 0), stats.Queues.Single(q => q.QueueName == "a"));
        Assert.Equal(new QueueStats("b", 0, 0, 0), stats.Queues.Single(q => q.QueueName == "b"));
    }

    [Fact]
    public async Task A_second_client_on_an_open_directory_is_refused_with_StorageInUse()
    {
        var error = await Assert.ThrowsAsync<LogQueueException>(() => EmbeddedLogQueueClient.OpenAsync(_directory.Path));

        Assert.Equal(ErrorCode.StorageInUse, error.Code);
    }

    [Fact]
    public async Task Calls_after_dispose_throw_ObjectDisposedException()
    {
        await _client.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => _client.ListQueuesAsync());
    }
}
