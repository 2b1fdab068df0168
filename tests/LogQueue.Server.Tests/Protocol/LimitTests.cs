using System.Diagnostics;
using System.Text;
using LogQueue.Protocol;
using LogQueue.Protocol.Framing;
using LogQueue.Protocol.Operations;
using LogQueue.Server.Dispatch;
using LogQueue.Server.Tests.Infrastructure;

namespace LogQueue.Server.Tests.Protocol;

public sealed class LimitTests(LimitedServerFixture fixture) : IClassFixture<LimitedServerFixture>
{
    private ProtocolServer Server => fixture.Server;

    [Fact]
    public async Task The_auth_token_is_required_and_checked()
    {
        await using (RawProtocolConnection none = await Server.ConnectAsync())
        {
            await none.SendAsync(RawProtocolConnection.HelloFrame(1));
            ResponseFrame error = Assert.Single(await none.ReadUntilClosedAsync());
            Assert.Equal(ErrorCode.AuthenticationFailed, error.Error.Code);
        }

        await using (RawProtocolConnection wrong = await Server.ConnectAsync())
        {
            await wrong.SendAsync(RawProtocolConnection.HelloFrame(1, authToken: "s3cret-tokem"));
            ResponseFrame error = Assert.Single(await wrong.ReadUntilClosedAsync());
            Assert.Equal(ErrorCode.AuthenticationFailed, error.Error.Code);
            Assert.DoesNotContain(LimitedServerFixture.AuthToken, error.Error.Message, StringComparison.Ordinal);
        }

        await using RawProtocolConnection right = await Server.OpenAsync(LimitedServerFixture.AuthToken);
        await right.PingAsync();
    }

    [Fact]
    public async Task A_connection_over_the_maximum_is_told_so_and_closed()
    {
        var open = new List<RawProtocolConnection>();
        try
        {
            // Connections of earlier tests may still be closing on the server: wait until exactly the maximum is admitted.
            while (open.Count < LimitedServerFixture.MaxConnections)
            {
                RawProtocolConnection c = await Server.ConnectAsync();
                await c.SendAsync(RawProtocolConnection.HelloFrame(1, LimitedServerFixture.AuthToken));
                ResponseFrame? answer = await c.ReadFrameAsync();
                if (answer is { Header.IsError: false })
                {
                    open.Add(c);
                }
                else
                {
                    await c.DisposeAsync();
                    await Task.Delay(50);
                }
            }

            await using RawProtocolConnection extra = await Server.ConnectAsync();
            ResponseFrame refused = Assert.Single(await extra.ReadUntilClosedAsync());
            Assert.Equal(0u, refused.Header.RequestId);
            Assert.Equal(ErrorCode.TooManyConnections, refused.Error.Code);

            // The newest admitted connection: the first may have waited past the fixture's 1.5 s idle timeout while
            // slots of other tests' connections were being released.
            await open[^1].PingAsync();
        }
        finally
        {
            foreach (RawProtocolConnection c in open)
            {
                await c.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_connection_without_a_hello_times_out()
    {
        for (int attempt = 0; ; attempt++)
        {
            await using RawProtocolConnection c = await Server.ConnectAsync();
            var elapsed = Stopwatch.StartNew();
            IReadOnlyList<ResponseFrame> frames = await c.ReadUntilClosedAsync(TimeSpan.FromSeconds(10));
            ErrorResponse error = Assert.Single(frames).Error;
            if (error.Code == ErrorCode.TooManyConnections && attempt < 100)
            {
                await Task.Delay(50); // slots of other tests' connections not yet released
                continue;
            }

            Assert.Equal(0u, frames[0].Header.RequestId);
            Assert.Equal(ErrorCode.Timeout, error.Code);
            Assert.Contains("Hello", error.Message, StringComparison.Ordinal);
            Assert.InRange(elapsed.Elapsed, TimeSpan.FromMilliseconds(LimitedServerFixture.HandshakeTimeoutMs - 200), TimeSpan.FromSeconds(8));
            return;
        }
    }

    [Fact]
    public async Task An_idle_connection_times_out_but_a_long_poll_is_not_idleness()
    {
        await using RawProtocolConnection c = await OpenWhenAdmittedAsync();
        await c.CreateQueueAsync("idle");

        // A 3 s long poll outlasts the 1.5 s idle timeout; the connection must stay open for its answer.
        Assert.Empty(await c.ReceiveAsync("idle", wait: TimeSpan.FromSeconds(3)));

        ResponseFrame timeout = Assert.Single(await c.ReadUntilClosedAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(0u, timeout.Header.RequestId);
        Assert.Equal(ErrorCode.Timeout, timeout.Error.Code);
    }

    [Fact]
    public async Task Receives_take_as_many_messages_as_fit_in_a_frame()
    {
        // Each 1000-byte message costs 1000 + 1024 against 66,560 - 12 - 2 bytes: 32 fit, a 33rd would not.
        long budget = ReceiveLimit.ResponseBudget(LimitedServerFixture.MaxFrameLength);
        Assert.Equal(32, budget / (1000 + ReceiveLimit.PerMessageOverhead));

        await using RawProtocolConnection c = await OpenWhenAdmittedAsync();
        await c.CreateQueueAsync("capped", new Dictionary<string, string> { ["MaximumMessageSize"] = "1024" });
        string body = new('b', 1000);
        for (int batch = 0; batch < 4; batch++)
        {
            OutgoingMessage[] messages = [.. Enumerable.Range(0, 10).Select(_ => new OutgoingMessage(Encoding.UTF8.GetBytes(body)))];
            SendMessageBatchResponse sent = await c.CallAsync<SendMessageBatchRequest, SendMessageBatchResponse>(new SendMessageBatchRequest("capped", messages));
            Assert.All(sent.Results, r => Assert.True(r.Succeeded, r.ErrorMessage));
        }

        Assert.Equal(32, (await c.ReceiveAsync("capped", max: 100)).Count);
        Assert.Equal(8, (await c.ReceiveAsync("capped", max: 100)).Count);

        ErrorResponse tooLong = await c.CallExpectingErrorAsync<SendMessageRequest, SendMessageResponse>(
            new SendMessageRequest("capped", new OutgoingMessage(Encoding.UTF8.GetBytes(new string('x', 1025)))));
        Assert.Equal(ErrorCode.MessageTooLong, tooLong.Code);
    }

    [Fact]
    public async Task Large_messages_are_split_across_receives_in_frames_under_the_maximum_and_each_arrives_once()
    {
        await using RawProtocolConnection c = await OpenWhenAdmittedAsync();
        await c.CreateQueueAsync("split");

        // 200 messages of 300 to 800 bytes with 10 attributes each (the most allowed), to load the per-message overhead.
        var attributes = Enumerable.Range(0, 10).ToDictionary(i => $"attribute-{i}", i => MessageAttribute.FromString($"v{i}"));
        var expected = new HashSet<string>(StringComparer.Ordinal);
        for (int batch = 0; batch < 20; batch++)
        {
            OutgoingMessage[] messages = new OutgoingMessage[10];
            for (int i = 0; i < messages.Length; i++)
            {
                int n = (batch * 10) + i;
                string text = $"{n:D3}".PadRight(300 + (n * 37 % 500), '.');
                expected.Add(text);
                messages[i] = new OutgoingMessage(Encoding.UTF8.GetBytes(text), attributes);
            }

            SendMessageBatchResponse sent = await c.CallAsync<SendMessageBatchRequest, SendMessageBatchResponse>(new SendMessageBatchRequest("split", messages));
            Assert.All(sent.Results, r => Assert.True(r.Succeeded, r.ErrorMessage));
        }

        var seen = new List<string>();
        int receives = 0;
        while (true)
        {
            uint id = c.NextRequestId();
            await c.SendRequestAsync<ReceiveMessageRequest, ReceiveMessageResponse>(id, new ReceiveMessageRequest("split", 100, TimeSpan.FromMinutes(5), TimeSpan.Zero));
            ResponseFrame frame = await c.ReadFrameAsync() ?? throw new InvalidOperationException("The server closed the connection.");
            Assert.Equal(id, frame.Header.RequestId);
            Assert.InRange(FrameHeader.Size + frame.Payload.Length, 0, LimitedServerFixture.MaxFrameLength);
            IReadOnlyList<ReceivedMessage> received = frame.Decode<ReceiveMessageResponse>().Messages;
            if (received.Count == 0)
            {
                break;
            }

            receives++;
            Assert.InRange(received.Count, 1, 99);
            seen.AddRange(received.Select(m => Encoding.UTF8.GetString(m.Body.Span)));
            Assert.All(received, m => Assert.Equal(10, m.Attributes.Count));
            BatchResultResponse deleted = await c.CallAsync<DeleteMessageBatchRequest, BatchResultResponse>(
                new DeleteMessageBatchRequest("split", [.. received.Select(m => m.ReceiptHandle)]));
            Assert.All(deleted.Results, r => Assert.True(r.Succeeded, r.ErrorMessage));
        }

        Assert.True(receives >= 3, $"{receives} receives");
        Assert.Equal(expected.Count, seen.Count);
        Assert.Equal(expected.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
    }

    // Connections of other tests in this class may still hold the few slots for a moment after they closed.
    private async Task<RawProtocolConnection> OpenWhenAdmittedAsync()
    {
        for (int attempt = 0; ; attempt++)
        {
            RawProtocolConnection c = await Server.ConnectAsync();
            await c.SendAsync(RawProtocolConnection.HelloFrame(1, LimitedServerFixture.AuthToken));
            if (await c.ReadFrameAsync() is { Header.IsError: false })
            {
                return c;
            }

            await c.DisposeAsync();
            Assert.True(attempt < 100, "No connection slot came free.");
            await Task.Delay(50);
        }
    }
}
