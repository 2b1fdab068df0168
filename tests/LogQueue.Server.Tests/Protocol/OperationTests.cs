using System.Text;
using LogQueue.Protocol;
using LogQueue.Protocol.Operations;
using LogQueue.Server.Tests.Infrastructure;

namespace LogQueue.Server.Tests.Protocol;

/// <summary>Every operation end to end over the wire, against one shared server.</summary>
public sealed class OperationTests(ProtocolServerFixture fixture) : IClassFixture<ProtocolServerFixture>
{
    private ProtocolServer Server => fixture.Server;

    [Fact]
    public async Task Queue_administration_round_trips()
    {
        await using RawProtocolConnection c = await Server.OpenAsync();
        Assert.Equal("admin-a", await c.CreateQueueAsync("admin-a", new Dictionary<string, string> { ["VisibilityTimeout"] = "45" }));
        await c.CreateQueueAsync("admin-b");

        ListQueuesResponse listed = await c.CallAsync<ListQueuesRequest, ListQueuesResponse>(new ListQueuesRequest("admin-"));
        Assert.Equal(["admin-a", "admin-b"], listed.QueueNames);

        QueueAttributesResponse attributes = await c.CallAsync<GetQueueAttributesRequest, QueueAttributesResponse>(
            new GetQueueAttributesRequest("admin-a", ["VisibilityTimeout"]));
        Assert.Equal("45", attributes.Attributes["VisibilityTimeout"]);

        await c.CallAsync<SetQueueAttributesRequest, EmptyResponse>(new SetQueueAttributesRequest("admin-a", new Dictionary<string, string> { ["VisibilityTimeout"] = "60" }));
        attributes = await c.CallAsync<GetQueueAttributesRequest, QueueAttributesResponse>(new GetQueueAttributesRequest("admin-a", ["All"]));
        Assert.Equal("60", attributes.Attributes["VisibilityTimeout"]);

        // An empty list asks for every attribute too (docs/protocol.md), not for none.
        QueueAttributesResponse unnamed = await c.CallAsync<GetQueueAttributesRequest, QueueAttributesResponse>(new GetQueueAttributesRequest("admin-a", []));
        Assert.Equal(attributes.Attributes.Keys.Order(), unnamed.Attributes.Keys.Order());

        await c.SendAsync("admin-a", "one");
        await c.SendAsync("admin-a", "two");
        StatsResponse stats = await c.CallAsync<StatsRequest, StatsResponse>(StatsRequest.Instance);
        Assert.Equal(2, stats.Queues.Single(q => q.QueueName == "admin-a").Visible);
        Assert.True(stats.OpenConnections >= 1);
        Assert.True(stats.ConnectionsAccepted >= 1);
        Assert.True(stats.RequestsServed >= 8);
        Assert.Equal("always", stats.Durability);
        Assert.True(stats.UptimeMs > 0);

        await c.CallAsync<PurgeQueueRequest, EmptyResponse>(new PurgeQueueRequest("admin-a"));
        Assert.Empty(await c.ReceiveAsync("admin-a"));

        await c.CallAsync<DeleteQueueRequest, EmptyResponse>(new DeleteQueueRequest("admin-b"));
        listed = await c.CallAsync<ListQueuesRequest, ListQueuesResponse>(new ListQueuesRequest("admin-"));
        Assert.Equal(["admin-a"], listed.QueueNames);

        ErrorResponse missing = await c.CallExpectingErrorAsync<DeleteQueueRequest, EmptyResponse>(new DeleteQueueRequest("admin-b"));
        Assert.Equal(ErrorCode.QueueDoesNotExist, missing.Code);
        ErrorResponse badName = await c.CallExpectingErrorAsync<CreateQueueRequest, CreateQueueResponse>(new CreateQueueRequest("bad name!"));
        Assert.Equal(ErrorCode.InvalidParameterValue, badName.Code);
    }

    [Fact]
    public async Task Messages_round_trip_with_attributes_visibility_changes_and_deletes()
    {
        await using RawProtocolConnection c = await Server.OpenAsync();
        await c.CreateQueueAsync("messages");
        var attributes = new Dictionary<string, MessageAttribute>
        {
            ["color"] = MessageAttribute.FromString("blue"),
            ["size"] = MessageAttribute.FromNumber("42"),
            ["blob"] = MessageAttribute.FromBinary(new byte[] { 1, 2, 3 }),
        };
        SendMessageResponse sent = await c.CallAsync<SendMessageRequest, SendMessageResponse>(
            new SendMessageRequest("messages", new OutgoingMessage(Encoding.UTF8.GetBytes("hello"), attributes)));

        ReceivedMessage received = Assert.Single(await c.ReceiveAsync("messages", visibility: TimeSpan.FromSeconds(30)));
        Assert.Equal(sent.MessageId, received.MessageId);
        Assert.Equal("hello", received.BodyText());
        Assert.Equal(1, received.ReceiveCount);
        Assert.Equal(attributes.OrderBy(a => a.Key), received.Attributes.OrderBy(a => a.Key));

        // Back to visible at once, received again, then deleted for good.
        await c.CallAsync<ChangeMessageVisibilityRequest, EmptyResponse>(new ChangeMessageVisibilityRequest("messages", received.ReceiptHandle, TimeSpan.Zero));
        ReceivedMessage again = Assert.Single(await c.ReceiveAsync("messages"));
        Assert.Equal(2, again.ReceiveCount);
        await c.CallAsync<DeleteMessageRequest, EmptyResponse>(new DeleteMessageRequest("messages", again.ReceiptHandle));

        ErrorResponse deletedHandle = await c.CallExpectingErrorAsync<ChangeMessageVisibilityRequest, EmptyResponse>(
            new ChangeMessageVisibilityRequest("messages", again.ReceiptHandle, TimeSpan.Zero));
        Assert.NotEqual(ErrorCode.None, deletedHandle.Code);
        Assert.Empty(await c.ReceiveAsync("messages"));

        ErrorResponse badHandle = await c.CallExpectingErrorAsync<DeleteMessageRequest, EmptyResponse>(new DeleteMessageRequest("messages", "not-a-handle"));
        Assert.Equal(ErrorCode.ReceiptHandleIsInvalid, badHandle.Code);
        ErrorResponse noQueue = await c.CallExpectingErrorAsync<ReceiveMessageRequest, ReceiveMessageResponse>(new ReceiveMessageRequest("no-such-queue"));
        Assert.Equal(ErrorCode.QueueDoesNotExist, noQueue.Code);
    }

    [Fact]
    public async Task Batches_report_each_entry_on_its_own()
    {
        await using RawProtocolConnection c = await Server.OpenAsync();
        await c.CreateQueueAsync("batches");
        OutgoingMessage[] batch =
        [
            new(Encoding.UTF8.GetBytes("a")),
            new(Encoding.UTF8.GetBytes("b"), new Dictionary<string, MessageAttribute> { ["AWS.reserved"] = MessageAttribute.FromString("x") }),
            new(Encoding.UTF8.GetBytes("c"), MessageDeduplicationId: "dedup"),
            new(ReadOnlyMemory<byte>.Empty),
            new(Encoding.UTF8.GetBytes("e")),
        ];
        SendMessageBatchResponse sent = await c.CallAsync<SendMessageBatchRequest, SendMessageBatchResponse>(new SendMessageBatchRequest("batches", batch));
        Assert.Equal(5, sent.Results.Count);
        Assert.True(sent.Results[0].Succeeded);
        Assert.Equal(ErrorCode.InvalidParameterValue, sent.Results[1].Code);
        Assert.Equal(ErrorCode.InvalidParameterValue, sent.Results[2].Code);
        Assert.Contains("FIFO", sent.Results[2].ErrorMessage, StringComparison.Ordinal);
        Assert.False(sent.Results[3].Succeeded);
        Assert.True(sent.Results[4].Succeeded);
        Assert.True(sent.Results[4].SequenceNumber > sent.Results[0].SequenceNumber);

        IReadOnlyList<ReceivedMessage> received = await c.ReceiveAsync("batches", visibility: TimeSpan.FromMinutes(5));
        Assert.Equal(["a", "e"], received.Select(m => m.BodyText()).Order());

        BatchResultResponse changed = await c.CallAsync<ChangeMessageVisibilityBatchRequest, BatchResultResponse>(
            new ChangeMessageVisibilityBatchRequest("batches", [new(received[0].ReceiptHandle, TimeSpan.FromMinutes(1)), new("bogus", TimeSpan.Zero)]));
        Assert.True(changed.Results[0].Succeeded);
        Assert.Equal(ErrorCode.ReceiptHandleIsInvalid, changed.Results[1].Code);

        BatchResultResponse deleted = await c.CallAsync<DeleteMessageBatchRequest, BatchResultResponse>(
            new DeleteMessageBatchRequest("batches", ["bogus", received[0].ReceiptHandle, received[1].ReceiptHandle]));
        Assert.Equal(ErrorCode.ReceiptHandleIsInvalid, deleted.Results[0].Code);
        Assert.True(deleted.Results[1].Succeeded);
        Assert.True(deleted.Results[2].Succeeded);

        OutgoingMessage[] tooMany = [.. Enumerable.Range(0, 101).Select(i => new OutgoingMessage(Encoding.UTF8.GetBytes("m")))];
        ErrorResponse overLimit = await c.CallExpectingErrorAsync<SendMessageBatchRequest, SendMessageBatchResponse>(new SendMessageBatchRequest("batches", tooMany));
        Assert.Equal(ErrorCode.TooManyEntriesInBatchRequest, overLimit.Code);
        ErrorResponse empty = await c.CallExpectingErrorAsync<DeleteMessageBatchRequest, BatchResultResponse>(new DeleteMessageBatchRequest("batches", []));
        Assert.Equal(ErrorCode.EmptyBatchRequest, empty.Code);
    }

    [Fact]
    public async Task A_receive_of_small_messages_gets_all_it_asks_for()
    {
        // With 16 MiB frames and 1 MiB messages the old cap was 15 per receive, whatever the messages' sizes.
        await using RawProtocolConnection c = await Server.OpenAsync();
        await c.CreateQueueAsync("small-many");
        byte[] body = new byte[128];
        for (int batch = 0; batch < 10; batch++)
        {
            OutgoingMessage[] messages = [.. Enumerable.Range(0, 10).Select(_ => new OutgoingMessage(body))];
            SendMessageBatchResponse sent = await c.CallAsync<SendMessageBatchRequest, SendMessageBatchResponse>(new SendMessageBatchRequest("small-many", messages));
            Assert.All(sent.Results, r => Assert.True(r.Succeeded, r.ErrorMessage));
        }

        IReadOnlyList<ReceivedMessage> received = await c.ReceiveAsync("small-many", max: 100);
        Assert.Equal(100, received.Count);
        Assert.Equal(100, received.Select(m => m.SequenceNumber).Distinct().Count());
    }

    [Fact]
    public async Task Message_move_tasks_redrive_dead_letters_back_to_their_source()
    {
        await using RawProtocolConnection c = await Server.OpenAsync();
        await c.CreateQueueAsync("redrive-dlq");
        string dlqArn = (await c.CallAsync<GetQueueAttributesRequest, QueueAttributesResponse>(new GetQueueAttributesRequest("redrive-dlq", ["QueueArn"]))).Attributes["QueueArn"];
        await c.CreateQueueAsync("redrive-source", new Dictionary<string, string>
        {
            ["RedrivePolicy"] = $$"""{"deadLetterTargetArn":"{{dlqArn}}","maxReceiveCount":"1"}""",
        });
        await c.SendAsync("redrive-source", "poison");

        // Received once and let go; the second receive finds it over maxReceiveCount and moves it to the DLQ.
        Assert.Single(await c.ReceiveAsync("redrive-source", visibility: TimeSpan.Zero));
        Assert.Empty(await c.ReceiveAsync("redrive-source", visibility: TimeSpan.Zero));
        Assert.True(await ProtocolCalls.UntilAsync(async () => await Visible(c, "redrive-dlq") == 1));

        ErrorResponse notFound = await c.CallExpectingErrorAsync<CancelMessageMoveTaskRequest, CancelMessageMoveTaskResponse>(new CancelMessageMoveTaskRequest("no-such-task"));
        Assert.Equal(ErrorCode.ResourceNotFound, notFound.Code);

        StartMessageMoveTaskResponse started = await c.CallAsync<StartMessageMoveTaskRequest, StartMessageMoveTaskResponse>(new StartMessageMoveTaskRequest("redrive-dlq"));
        Assert.False(string.IsNullOrEmpty(started.TaskHandle));
        Assert.True(await ProtocolCalls.UntilAsync(async () => await Visible(c, "redrive-source") == 1));

        ListMessageMoveTasksResponse tasks = await c.CallAsync<ListMessageMoveTasksRequest, ListMessageMoveTasksResponse>(new ListMessageMoveTasksRequest("redrive-dlq", 10));
        MessageMoveTask task = Assert.Single(tasks.Tasks);
        Assert.Equal(started.TaskHandle, task.TaskHandle);
        Assert.Equal("redrive-dlq", task.SourceQueue);
        Assert.Equal("poison", Assert.Single(await c.ReceiveAsync("redrive-source")).BodyText());
    }

    private static async Task<long> Visible(RawProtocolConnection c, string queue)
    {
        QueueAttributesResponse attributes = await c.CallAsync<GetQueueAttributesRequest, QueueAttributesResponse>(
            new GetQueueAttributesRequest(queue, ["ApproximateNumberOfMessages"]));
        return long.Parse(attributes.Attributes["ApproximateNumberOfMessages"], System.Globalization.CultureInfo.InvariantCulture);
    }
}
