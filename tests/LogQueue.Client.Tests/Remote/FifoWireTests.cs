using System.Collections.Concurrent;
using System.Text;
using LogQueue.Client.Tests.Fakes;
using LogQueue.Protocol;
using LogQueue.Protocol.Operations;
using LogQueue.TestSupport;

namespace LogQueue.Client.Tests.Remote;

/// <summary>
/// What the network client does with FIFO fields on the wire, against a fake server: the negotiated version decides
/// the received message's shape, natural batching keeps call order, and only deduplicated sends are retried.
/// </summary>
public sealed class FifoWireTests : IAsyncLifetime
{
    // As in NaturalBatchingTests: more than loopback buffers absorb, so the writer stays busy while the fake does not read.
    private const int BlockingBodySize = 24 << 20;

    private readonly FakeServer _server = FakeServer.Start();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_client_offers_version_2_and_reads_the_deduplication_id_when_the_server_chooses_it()
    {
        _server.Responder = async request =>
        {
            await request.RespondAsync(new ReceiveMessageResponse([Received("g1", "d1")]));
            return true;
        };
        await using LogQueueClient client = await LogQueueClient.ConnectAsync(new LogQueueClientOptions { Endpoint = _server.Endpoint });

        QueueMessage message = Assert.Single(await client.ReceiveMessagesAsync("q.fifo", new ReceiveOptions { ReceiveRequestAttemptId = "a1" }));

        Assert.Equal(2, client.ServerInfo!.Version);
        Assert.Equal((1, 2), (_server.LastHello!.MinVersion, _server.LastHello.MaxVersion));
        Assert.Equal("g1", message.MessageGroupId);
        Assert.Equal("d1", message.MessageDeduplicationId);
        Assert.Equal(7, message.SequenceNumber);
    }

    [Fact]
    public async Task Against_a_version_1_server_the_client_reads_version_1_frames_and_has_no_deduplication_id()
    {
        _server.Hello = _server.Hello with { Version = 1 };
        _server.Responder = async request =>
        {
            Assert.Equal("a1", request.Decode<ReceiveMessageRequest>().ReceiveRequestAttemptId);
            await request.RespondAsync(new ReceiveMessageResponse([Received("g1", "d1")]), version: 1);
            return true;
        };
        await using LogQueueClient client = await LogQueueClient.ConnectAsync(new LogQueueClientOptions { Endpoint = _server.Endpoint });

        QueueMessage message = Assert.Single(await client.ReceiveMessagesAsync("q.fifo", new ReceiveOptions { ReceiveRequestAttemptId = "a1" }));

        Assert.Equal(1, client.ServerInfo!.Version);
        Assert.Equal("g1", message.MessageGroupId);
        Assert.Null(message.MessageDeduplicationId);
        Assert.Equal("body", message.BodyAsString());
    }

    [Fact]
    public async Task Sends_queued_behind_a_busy_writer_go_out_in_call_order_with_their_ids()
    {
        var batches = new ConcurrentQueue<SendMessageBatchRequest>();
        _server.Responder = request =>
        {
            if (request.Opcode == Opcode.SendMessageBatch)
            {
                batches.Enqueue(request.Decode<SendMessageBatchRequest>());
            }

            return RemoteClientTests.Answer(request);
        };
        await using LogQueueClient client = await LogQueueClient.ConnectAsync(new LogQueueClientOptions { Endpoint = _server.Endpoint });
        _server.PauseReading();
        Task blocker = client.SendMessageAsync("big", new OutgoingMessage(new byte[BlockingBodySize]));
        Assert.True(await Poll.UntilAsync(() => client.Connections[0].IsWritingWithNothingQueued));

        // Two groups interleaved, one call after another: the batch keeps the calls' order, so each group's too.
        Task[] sends = [.. Enumerable.Range(0, 20).Select(i =>
            client.SendMessageAsync("q.fifo", new OutgoingMessage(Encoding.UTF8.GetBytes($"m{i}"), MessageGroupId: $"g{i % 2}", MessageDeduplicationId: $"d{i}")))];
        _server.ResumeReading();
        await blocker;
        await Task.WhenAll(sends);

        SendMessageBatchRequest batch = Assert.Single(batches);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"m{i}"), batch.Messages.Select(m => Encoding.UTF8.GetString(m.Body.Span)));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"g{i % 2}"), batch.Messages.Select(m => m.MessageGroupId));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"d{i}"), batch.Messages.Select(m => m.MessageDeduplicationId));
    }

    [Fact]
    public async Task Sends_of_one_group_carried_over_to_the_next_connection_keep_their_call_order()
    {
        var batches = new ConcurrentQueue<SendMessageBatchRequest>();
        _server.Responder = request =>
        {
            if (request.Opcode == Opcode.SendMessageBatch)
            {
                batches.Enqueue(request.Decode<SendMessageBatchRequest>());
            }

            return RemoteClientTests.Answer(request);
        };
        await using LogQueueClient client = await LogQueueClient.ConnectAsync(new LogQueueClientOptions { Endpoint = _server.Endpoint });
        _server.PauseReading();
        Task blocker = client.SendMessageAsync("big", new OutgoingMessage(new byte[BlockingBodySize]));
        Assert.True(await Poll.UntilAsync(() => client.Connections[0].IsWritingWithNothingQueued));
        Task[] sends = [.. Enumerable.Range(0, 8).Select(i =>
            client.SendMessageAsync("q.fifo", new OutgoingMessage(Encoding.UTF8.GetBytes($"m{i}"), MessageGroupId: "g1", MessageDeduplicationId: $"d{i}")))];

        // The queued sends were never written: the next connection carries them, in the order they were called.
        await _server.DropConnectionsAsync();
        _server.ResumeReading();
        await Assert.ThrowsAsync<LogQueueException>(() => blocker);
        await Task.WhenAll(sends).WaitAsync(Poll.DefaultTimeout);

        SendMessageBatchRequest batch = Assert.Single(batches);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"m{i}"), batch.Messages.Select(m => Encoding.UTF8.GetString(m.Body.Span)));
        Assert.True(_server.HandshakeCount >= 2);
    }

    [Fact]
    public async Task A_send_with_a_deduplication_id_is_retried_once_when_its_connection_drops_before_the_answer()
    {
        int sends = 0;
        _server.Responder = async request =>
        {
            if (request.Opcode == Opcode.SendMessage && Interlocked.Increment(ref sends) == 1)
            {
                // The first attempt reached the server, and the answer never comes back.
                await request.Connection.DisposeAsync();
                return true;
            }

            // A FIFO server answers the repeat with the original's id and sequence.
            await request.RespondAsync(new SendMessageResponse(new MessageId(1, 5), 5));
            return true;
        };
        await using LogQueueClient client = await LogQueueClient.ConnectAsync(new LogQueueClientOptions { Endpoint = _server.Endpoint });

        SendMessageResponse response = await client.GetQueue("q.fifo").SendAsync("once", "g1", "d1");

        Assert.Equal(5, response.SequenceNumber);
        Assert.Equal(2, Volatile.Read(ref sends));
        Assert.Equal(2, _server.FrameCount(Opcode.SendMessage));
    }

    [Fact]
    public async Task A_send_without_a_deduplication_id_is_not_retried_when_its_connection_drops()
    {
        _server.Responder = async request =>
        {
            await request.Connection.DisposeAsync();
            return true;
        };
        await using LogQueueClient client = await LogQueueClient.ConnectAsync(new LogQueueClientOptions { Endpoint = _server.Endpoint });

        var lost = await Assert.ThrowsAsync<LogQueueException>(() => client.GetQueue("q.fifo").SendAsync("maybe", "g1", messageDeduplicationId: null));

        Assert.Equal(ErrorCode.ConnectionLost, lost.Code);
        Assert.Equal(1, _server.FrameCount(Opcode.SendMessage));
    }

    [Fact]
    public async Task A_batch_whose_every_entry_has_a_deduplication_id_is_retried_and_one_without_is_not()
    {
        int batches = 0;
        _server.Responder = async request =>
        {
            if (request.Opcode == Opcode.SendMessageBatch && Interlocked.Increment(ref batches) is 1 or 3)
            {
                await request.Connection.DisposeAsync();
                return true;
            }

            return await RemoteClientTests.Answer(request);
        };
        await using LogQueueClient client = await LogQueueClient.ConnectAsync(new LogQueueClientOptions { Endpoint = _server.Endpoint });
        QueueClient queue = client.GetQueue("q.fifo");

        IReadOnlyList<SendResult> retried = await queue.SendBatchAsync([Fifo("a", "d1"), Fifo("b", "d2")]);
        Assert.Equal(2, retried.Count(r => r.Succeeded));
        Assert.Equal(2, Volatile.Read(ref batches));

        var lost = await Assert.ThrowsAsync<LogQueueException>(() => queue.SendBatchAsync([Fifo("c", "d3"), Fifo("d", null)]));
        Assert.Equal(ErrorCode.ConnectionLost, lost.Code);
        Assert.Equal(3, Volatile.Read(ref batches));
    }

    [Fact]
    public async Task A_deduplicated_send_whose_connection_drops_after_the_safe_part_of_the_window_is_not_retried()
    {
        // RequestTimeout is far longer than the window: a retry now could land after the server forgot the id.
        var clock = new ManualTimeProvider();
        _server.Responder = async request =>
        {
            if (request.Opcode is Opcode.SendMessage or Opcode.SendMessageBatch)
            {
                clock.Advance(LogQueueClient.DeduplicatedRetryLimit);
                await request.Connection.DisposeAsync();
                return true;
            }

            return await RemoteClientTests.Answer(request);
        };
        await using LogQueueClient client = await ConnectAsync(clock);
        QueueClient queue = client.GetQueue("q.fifo");

        var lost = await Assert.ThrowsAsync<LogQueueException>(() => queue.SendAsync("late", "g1", "d1"));
        var lostBatch = await Assert.ThrowsAsync<LogQueueException>(() => queue.SendBatchAsync([Fifo("a", "d2"), Fifo("b", "d3")]));

        Assert.Equal(ErrorCode.ConnectionLost, lost.Code);
        Assert.Equal(ErrorCode.ConnectionLost, lostBatch.Code);
        Assert.Equal(1, _server.FrameCount(Opcode.SendMessage));
        Assert.Equal(1, _server.FrameCount(Opcode.SendMessageBatch));
    }

    [Fact]
    public async Task A_deduplicated_send_retried_late_gives_up_when_the_safe_part_of_the_window_ends_not_at_its_timeout()
    {
        var clock = new ManualTimeProvider();
        int sends = 0;
        _server.Responder = async request =>
        {
            if (request.Opcode == Opcode.SendMessage && Interlocked.Increment(ref sends) == 1)
            {
                // Dropped three minutes in: one minute of the safe part is left for the retry.
                clock.Advance(TimeSpan.FromMinutes(3));
                await request.Connection.DisposeAsync();
                return true;
            }

            // The retry is never answered.
            return request.Opcode != Opcode.SendMessage && await RemoteClientTests.Answer(request);
        };
        await using LogQueueClient client = await ConnectAsync(clock);
        long started = clock.GetTimestamp();

        Task<SendMessageResponse> send = client.GetQueue("q.fifo").SendAsync("once", "g1", "d1");
        FakeRequest retry = await _server.NextRequestAsync();
        Assert.Equal(Opcode.SendMessage, retry.Opcode);
        Assert.True(await Poll.UntilAsync(() => send.IsCompleted, beforeEachCheck: () => clock.Advance(TimeSpan.FromSeconds(1))));

        var timedOut = await Assert.ThrowsAsync<LogQueueException>(() => send);
        Assert.Equal(ErrorCode.RequestTimedOut, timedOut.Code);

        // At the 4-minute limit (a few clock steps of slack for the race between the frame reaching the fake and the
        // client arming its timer), not at the 10-minute RequestTimeout.
        TimeSpan gaveUpAfter = clock.GetElapsedTime(started);
        Assert.InRange(gaveUpAfter, LogQueueClient.DeduplicatedRetryLimit, LogQueueClient.DeduplicatedRetryLimit + TimeSpan.FromSeconds(30));
    }

    private Task<LogQueueClient> ConnectAsync(ManualTimeProvider clock) =>
        LogQueueClient.ConnectAsync(new LogQueueClientOptions { Endpoint = _server.Endpoint, RequestTimeout = TimeSpan.FromMinutes(10) }, loggerFactory: null, clock);

    private static OutgoingMessage Fifo(string body, string? deduplicationId) =>
        new(Encoding.UTF8.GetBytes(body), MessageGroupId: "g1", MessageDeduplicationId: deduplicationId);

    private static ReceivedMessage Received(string groupId, string deduplicationId) =>
        new(new MessageId(1, 7), 7, "rh", 1_700_000_000_000, 1, 1_700_000_000_000, null, groupId, Protocol.Codec.MessageAttributeCodec.Empty, "body"u8.ToArray(), deduplicationId);
}
