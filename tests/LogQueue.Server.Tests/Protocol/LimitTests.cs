using System.Diagnostics;
using System.Text;
using LogQueue.Protocol;
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

            await open[0].PingAsync();
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
    public async Task Receives_are_capped_so_that_the_response_fits_in_a_frame()
    {
        int cap = ReceiveLimit.MaxMessagesPerResponse(LimitedServerFixture.MaxFrameLength, LimitedServerFixture.MaxMessageSize);
        Assert.Equal(32, cap);

        await using RawProtocolConnection c = await OpenWhenAdmittedAsync();
        await c.CreateQueueAsync("capped", new Dictionary<string, string> { ["MaximumMessageSize"] = "1024" });
        string body = new('b', 1000);
        for (int batch = 0; batch < 4; batch++)
        {
            OutgoingMessage[] messages = [.. Enumerable.Range(0, 10).Select(_ => new OutgoingMessage(Encoding.UTF8.GetBytes(body)))];
            SendMessageBatchResponse sent = await c.CallAsync<SendMessageBatchRequest, SendMessageBatchResponse>(new SendMessageBatchRequest("capped", messages));
            Assert.All(sent.Results, r => Assert.True(r.Succeeded, r.ErrorMessage));
        }

        Assert.Equal(cap, (await c.ReceiveAsync("capped", max: 100)).Count);
        Assert.Equal(40 - cap, (await c.ReceiveAsync("capped", max: 100)).Count);

        ErrorResponse tooLong = await c.CallExpectingErrorAsync<SendMessageRequest, SendMessageResponse>(
            new SendMessageRequest("capped", new OutgoingMessage(Encoding.UTF8.GetBytes(new string('x', 1025)))));
        Assert.Equal(ErrorCode.MessageTooLong, tooLong.Code);
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
