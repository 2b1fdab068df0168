using System.Text;
using LogQueue.Client.Tests.Fakes;
using LogQueue.Protocol;
using LogQueue.Protocol.Operations;
using LogQueue.TestSupport;

namespace LogQueue.Client.Tests.Remote;

public sealed class RemoteClientTests : IAsyncLifetime
{
    private readonly FakeServer _server = FakeServer.Start();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<LogQueueClient> ConnectAsync(Action<LogQueueClientOptions>? configure = null)
    {
        var options = new LogQueueClientOptions
        {
            Endpoint = _server.Endpoint,
            RequestTimeout = TimeSpan.FromSeconds(20),
            ReconnectBackoffMin = TimeSpan.FromMilliseconds(20),
            ReconnectBackoffMax = TimeSpan.FromMilliseconds(200),
        };
        configure?.Invoke(options);
        return LogQueueClient.ConnectAsync(options);
    }

    [Fact]
    public async Task Pipelined_calls_complete_by_request_id_when_answered_out_of_order()
    {
        await using LogQueueClient client = await ConnectAsync();
        Task<IReadOnlyList<string>>[] calls = [.. Enumerable.Range(0, 3).Select(i => client.ListQueuesAsync("p" + i))];
        var requests = new List<FakeRequest>();
        for (int i = 0; i < 3; i++)
        {
            requests.Add(await _server.NextRequestAsync());
        }

        Assert.All(calls, c => Assert.False(c.IsCompleted));
        foreach (FakeRequest request in Enumerable.Reverse(requests))
        {
            string prefix = request.Decode<ListQueuesRequest>().Prefix!;
            await request.RespondAsync(new ListQueuesResponse([prefix + "-queue"]));
        }

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(["p" + i + "-queue"], await calls[i]);
        }
    }

    [Fact]
    public async Task A_server_error_throws_LogQueueException_with_the_servers_code()
    {
        _server.Responder = async request =>
        {
            await request.RespondErrorAsync(ErrorCode.QueueDoesNotExist, "no such queue");
            return true;
        };
        await using LogQueueClient client = await ConnectAsync();

        var error = await Assert.ThrowsAsync<LogQueueException>(() => client.PurgeQueueAsync("missing"));

        Assert.Equal(ErrorCode.QueueDoesNotExist, error.Code);
        Assert.Equal("no such queue", error.Message);
    }

    [Fact]
    public async Task A_call_past_its_timeout_throws_RequestTimedOut_and_its_late_response_is_dropped()
    {
        await using LogQueueClient client = await ConnectAsync(o => o.RequestTimeout = TimeSpan.FromMilliseconds(300));

        Task<IReadOnlyList<string>> slow = client.ListQueuesAsync("slow");
        FakeRequest late = await _server.NextRequestAsync();
        var error = await Assert.ThrowsAsync<LogQueueException>(() => slow);
        Assert.Equal(ErrorCode.RequestTimedOut, error.Code);

        await late.RespondAsync(new ListQueuesResponse(["late"]));
        Task<IReadOnlyList<string>> next = client.ListQueuesAsync("next");
        await (await _server.NextRequestAsync()).RespondAsync(new ListQueuesResponse(["on-time"]));
        Assert.Equal(["on-time"], await next);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task A_cancelled_call_throws_OperationCanceledException_and_leaves_the_connection_working()
    {
        await using LogQueueClient client = await ConnectAsync();
        using var cts = new CancellationTokenSource();

        Task<StatsResponse> cancelled = client.GetStatsAsync(cts.Token);
        FakeRequest request = await _server.NextRequestAsync();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);

        await request.RespondAsync(new StatsResponse("fake", 1, 1, 1, 1, "always", []));
        Task<TimeSpan> ping = client.PingAsync();
        await (await _server.NextRequestAsync()).RespondAsync(EmptyResponse.Instance);
        Assert.True(await ping >= TimeSpan.Zero);
    }

    [Fact]
    public async Task A_dropped_connection_fails_calls_in_flight_with_ConnectionLost_then_reconnects()
    {
        await using LogQueueClient client = await ConnectAsync();
        Task send = client.SendMessageAsync("q", new OutgoingMessage("x"u8.ToArray()));
        await _server.NextRequestAsync();

        await _server.DropConnectionsAsync();

        var error = await Assert.ThrowsAsync<LogQueueException>(() => send);
        Assert.Equal(ErrorCode.ConnectionLost, error.Code);
        Assert.Contains("may or may not", error.Message, StringComparison.Ordinal);

        _server.Responder = Answer;
        Assert.Equal(["again"], await client.ListQueuesAsync());
        Assert.True(_server.HandshakeCount >= 2);
    }

    [Fact]
    public async Task The_client_reconnects_when_the_server_comes_back_on_the_same_port()
    {
        _server.Responder = Answer;
        await using LogQueueClient client = await ConnectAsync();
        Assert.Equal(["again"], await client.ListQueuesAsync());

        await _server.StopAsync();
        Assert.True(await Poll.UntilAsync(() => !client.IsConnected));
        await Task.Delay(100); // a few failed attempts while the server is down
        _server.Restart();

        Assert.Equal(["again"], await client.ListQueuesAsync());
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task An_idempotent_read_in_flight_when_the_connection_drops_is_retried_once()
    {
        await using LogQueueClient client = await ConnectAsync();
        Task<IReadOnlyList<string>> list = client.ListQueuesAsync();
        await _server.NextRequestAsync();

        _server.Responder = Answer;
        await _server.DropConnectionsAsync();

        Assert.Equal(["again"], await list);
    }

    [Fact]
    public async Task Calls_while_the_server_is_down_fail_with_ConnectionLost_within_their_timeout()
    {
        await using LogQueueClient client = await ConnectAsync(o => o.RequestTimeout = TimeSpan.FromMilliseconds(400));
        await _server.StopAsync();
        Assert.True(await Poll.UntilAsync(() => !client.IsConnected));

        var error = await Assert.ThrowsAsync<LogQueueException>(() => client.DeleteQueueAsync("q"));

        Assert.Equal(ErrorCode.ConnectionLost, error.Code);
    }

    [Fact]
    public async Task A_refused_handshake_throws_its_code_from_ConnectAsync()
    {
        _server.HelloError = new ErrorResponse(ErrorCode.AuthenticationFailed, "wrong token");

        var error = await Assert.ThrowsAsync<LogQueueException>(() => ConnectAsync(o => o.AuthToken = "nope"));

        Assert.Equal(ErrorCode.AuthenticationFailed, error.Code);
    }

    [Fact]
    public async Task A_response_arriving_one_byte_at_a_time_is_decoded_whole()
    {
        await using LogQueueClient client = await ConnectAsync();
        Task<IReadOnlyList<QueueMessage>> receive = client.ReceiveMessagesAsync("q", new ReceiveOptions { WaitTime = TimeSpan.Zero });
        FakeRequest request = await _server.NextRequestAsync();
        var attributes = new Dictionary<string, MessageAttribute> { ["kind"] = MessageAttribute.FromString("greeting") };
        var message = new ReceivedMessage(new MessageId(7, 42), 42, "handle-1", 1_700_000_000_000, 2, 1_700_000_000_500, null, null, attributes, Encoding.UTF8.GetBytes("hello, split world"));

        await request.RespondAsync(new ReceiveMessageResponse([message]), byteByByte: true);

        QueueMessage received = Assert.Single(await receive);
        Assert.Equal("hello, split world", received.BodyAsString());
        Assert.Equal("handle-1", received.ReceiptHandle);
        Assert.Equal(new MessageId(7, 42), received.MessageId);
        Assert.Equal(2, received.ReceiveCount);
        Assert.Equal("greeting", received.Attributes["kind"].StringValue);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000), received.SentTimestamp);
    }

    [Fact]
    public async Task A_request_over_the_servers_frame_limit_fails_alone_and_the_connection_stays_up()
    {
        _server.Hello = _server.Hello with { MaxFrameLength = 64 << 10 };
        _server.Responder = Answer;
        await using LogQueueClient client = await ConnectAsync();

        var error = await Assert.ThrowsAsync<LogQueueException>(() => client.SendMessageAsync("q", new OutgoingMessage(new byte[100 << 10])));

        Assert.Equal(ErrorCode.FrameTooLarge, error.Code);
        Assert.Equal(["again"], await client.ListQueuesAsync());
        Assert.Equal(1, _server.HandshakeCount);
    }

    [Fact]
    public async Task A_server_notice_before_it_closes_is_named_in_the_ConnectionLost_of_calls_in_flight()
    {
        await using LogQueueClient client = await ConnectAsync();
        Task purge = client.PurgeQueueAsync("q");
        FakeRequest request = await _server.NextRequestAsync();

        using (var frame = new LogQueue.Protocol.Framing.FrameBuffer())
        {
            // Opcode 0, request id 0: the server speaking on its own, then closing.
            LogQueue.Protocol.Framing.FrameWriter.WriteError(frame, 0, 0, ErrorCode.ShuttingDown, "the server is stopping");
            await request.Connection.WriteAsync(frame.WrittenMemory.ToArray(), byteByByte: false);
        }

        Assert.True(await Poll.UntilAsync(() => client.Connections[0].ServerNotice is not null));
        await _server.DropConnectionsAsync();

        var error = await Assert.ThrowsAsync<LogQueueException>(() => purge);
        Assert.Equal(ErrorCode.ConnectionLost, error.Code);
        Assert.Contains("ShuttingDown", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Answers whatever the tests here send with something plausible.</summary>
    internal static async Task<bool> Answer(FakeRequest request)
    {
        switch (request.Opcode)
        {
            case Opcode.ListQueues:
                await request.RespondAsync(new ListQueuesResponse(["again"]));
                return true;
            case Opcode.SendMessage:
                await request.RespondAsync(new SendMessageResponse(new MessageId(1, 1), 1));
                return true;
            case Opcode.SendMessageBatch:
                SendMessageBatchRequest batch = request.Decode<SendMessageBatchRequest>();
                await request.RespondAsync(new SendMessageBatchResponse([.. batch.Messages.Select((m, i) =>
                    Encoding.UTF8.GetString(m.Body.Span) == "bad"
                        ? SendResult.Failure(ErrorCode.InvalidMessageContents, "bad body")
                        : SendResult.Success(new MessageId(1, i + 1), i + 1))]));
                return true;
            default:
                await request.RespondAsync(EmptyResponse.Instance);
                return true;
        }
    }
}
