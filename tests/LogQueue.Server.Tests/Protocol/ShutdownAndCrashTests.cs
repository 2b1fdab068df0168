using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using LogQueue.Protocol;
using LogQueue.Protocol.Operations;
using LogQueue.Server.Tests.Infrastructure;
using LogQueue.TestSupport;

namespace LogQueue.Server.Tests.Protocol;

/// <summary>Stopping the server, gently and not: what the clients see, and what the data directory keeps.</summary>
public sealed class ShutdownAndCrashTests
{
    [Fact]
    [Trait("Category", "Slow")]
    public async Task Sigterm_answers_a_pending_long_poll_empty_exits_cleanly_and_keeps_the_data()
    {
        using var data = new TempDirectory("lq-sigterm");
        string directory = data.Combine("data");
        await using (ProtocolServer server = await ProtocolServer.StartAsync(dataDirectory: directory))
        {
            await using RawProtocolConnection c = await server.OpenAsync();
            await c.CreateQueueAsync("kept");
            await c.CreateQueueAsync("empty");
            await c.SendAsync("kept", "survives a restart");

            await c.SendRequestAsync<ReceiveMessageRequest, ReceiveMessageResponse>(50, new ReceiveMessageRequest("empty", 1, WaitTime: TimeSpan.FromSeconds(20)));
            await c.PingAsync(); // the receive is waiting by now: the ping behind it was answered
            var stopping = System.Diagnostics.Stopwatch.StartNew();
            await server.Process.SendTerminateAsync();

            IReadOnlyList<ResponseFrame> frames = await c.ReadUntilClosedAsync(TimeSpan.FromSeconds(15));
            Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(8), $"The long poll held shutdown for {stopping.Elapsed}.");
            ResponseFrame poll = Assert.Single(frames, f => f.Header.RequestId == 50);
            Assert.Empty(poll.Decode<ReceiveMessageResponse>().Messages);
            ResponseFrame notice = Assert.Single(frames, f => f.Header.RequestId == 0);
            Assert.Equal(ErrorCode.ShuttingDown, notice.Error.Code);

            Assert.Equal(0, await server.Process.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        }

        await using (ProtocolServer restarted = await ProtocolServer.StartAsync(dataDirectory: directory))
        {
            await using RawProtocolConnection c = await restarted.OpenAsync();
            Assert.Equal("survives a restart", Assert.Single(await c.ReceiveAsync("kept")).BodyText());
        }
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Sigkill_under_load_loses_no_acknowledged_send_and_redelivers_no_acknowledged_delete()
    {
        using var data = new TempDirectory("lq-sigkill");
        string directory = data.Combine("data");
        var acknowledged = new ConcurrentDictionary<string, byte>();
        var deleted = new ConcurrentDictionary<string, byte>();

        // Bodies whose delete was sent: a delete made durable just before the kill may never have been answered.
        var deleting = new ConcurrentDictionary<string, byte>();
        await using (ProtocolServer server = await ProtocolServer.StartAsync(new Dictionary<string, string> { ["Durability"] = "always" }, directory))
        {
            await using (RawProtocolConnection setup = await server.OpenAsync())
            {
                await setup.CreateQueueAsync("crash");
            }

            using var load = new CancellationTokenSource();
            Task[] senders =
            [
                .. Enumerable.Range(0, 4).Select(worker => Task.Run(() => SendUntilKilledAsync(server, worker, acknowledged, load.Token))),
                Task.Run(() => DeleteUntilKilledAsync(server, deleting, deleted, load.Token)),
            ];

            Assert.True(await Poll.UntilAsync(() => acknowledged.Count >= 200 && !deleted.IsEmpty), "The load never got going.");
            using (var process = System.Diagnostics.Process.GetProcessById(server.Process.Id))
            {
                process.Kill(); // SIGKILL on Linux: no shutdown code runs
            }

            await server.Process.WaitForExitAsync(TimeSpan.FromSeconds(10));
            await load.CancelAsync();
            await Task.WhenAll(senders);
        }

        await using ProtocolServer restarted = await ProtocolServer.StartAsync(dataDirectory: directory);
        await using RawProtocolConnection c = await restarted.OpenAsync();
        var found = new HashSet<string>();
        while (await c.ReceiveAsync("crash", max: 100, visibility: TimeSpan.FromMinutes(5)) is { Count: > 0 } messages)
        {
            foreach (ReceivedMessage message in messages)
            {
                found.Add(message.BodyText());
            }
        }

        string[] lost = [.. acknowledged.Keys.Where(body => !found.Contains(body) && !deleting.ContainsKey(body))];
        Assert.True(lost.Length == 0, $"{lost.Length} of {acknowledged.Count} acknowledged sends are gone, e.g. {string.Join(", ", lost.Take(5))}.");
        string[] back = [.. deleted.Keys.Where(found.Contains)];
        Assert.True(back.Length == 0, $"{back.Length} of {deleted.Count} acknowledged deletes were delivered again, e.g. {string.Join(", ", back.Take(5))}.");
    }

    /// <summary>
    /// Receives and deletes in batches, recording each body before its delete is sent (<paramref name="deleting"/>)
    /// and again once the server acknowledged it (<paramref name="deleted"/>); ends when the server dies.
    /// </summary>
    private static async Task DeleteUntilKilledAsync(
        ProtocolServer server,
        ConcurrentDictionary<string, byte> deleting,
        ConcurrentDictionary<string, byte> deleted,
        CancellationToken cancellationToken)
    {
        await using RawProtocolConnection c = await server.OpenAsync();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                IReadOnlyList<ReceivedMessage> messages = await c.ReceiveAsync("crash", max: 10, visibility: TimeSpan.FromMinutes(5));
                if (messages.Count == 0)
                {
                    continue;
                }

                foreach (ReceivedMessage message in messages)
                {
                    deleting.TryAdd(message.BodyText(), 0);
                }

                BatchResultResponse results = await c.CallAsync<DeleteMessageBatchRequest, BatchResultResponse>(
                    new DeleteMessageBatchRequest("crash", [.. messages.Select(m => m.ReceiptHandle)]));
                for (int i = 0; i < messages.Count; i++)
                {
                    if (results.Results[i].Succeeded)
                    {
                        deleted.TryAdd(messages[i].BodyText(), 0);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or InvalidOperationException or TimeoutException)
        {
            // The server died under a call.
        }
    }

    /// <summary>Sends batches and single messages, pipelined, recording each body the server acknowledged; ends when the server dies.</summary>
    private static async Task SendUntilKilledAsync(ProtocolServer server, int worker, ConcurrentDictionary<string, byte> acknowledged, CancellationToken cancellationToken)
    {
        await using RawProtocolConnection c = await server.OpenAsync();
        var inFlight = new Dictionary<uint, string[]>();
        int next = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                // Eight requests in flight at a time, half of them batches.
                while (inFlight.Count < 8)
                {
                    uint id = c.NextRequestId();
                    if (id % 2 == 0)
                    {
                        string body = string.Create(CultureInfo.InvariantCulture, $"w{worker}-{next++}");
                        inFlight[id] = [body];
                        await c.SendRequestAsync<SendMessageRequest, SendMessageResponse>(id, new SendMessageRequest("crash", new OutgoingMessage(Encoding.UTF8.GetBytes(body))));
                    }
                    else
                    {
                        string[] bodies = [.. Enumerable.Range(0, 5).Select(_ => string.Create(CultureInfo.InvariantCulture, $"w{worker}-{next++}"))];
                        inFlight[id] = bodies;
                        await c.SendRequestAsync<SendMessageBatchRequest, SendMessageBatchResponse>(
                            id, new SendMessageBatchRequest("crash", [.. bodies.Select(b => new OutgoingMessage(Encoding.UTF8.GetBytes(b)))]));
                    }
                }

                ResponseFrame? frame = await c.ReadFrameAsync(TimeSpan.FromSeconds(30));
                if (frame is null)
                {
                    return; // killed
                }

                string[] sent = inFlight[frame.Header.RequestId];
                inFlight.Remove(frame.Header.RequestId);
                if (frame.Header.Opcode == Opcode.SendMessage)
                {
                    frame.Decode<SendMessageResponse>();
                    acknowledged.TryAdd(sent[0], 0);
                }
                else
                {
                    SendMessageBatchResponse batch = frame.Decode<SendMessageBatchResponse>();
                    for (int i = 0; i < sent.Length; i++)
                    {
                        if (batch.Results[i].Succeeded)
                        {
                            acknowledged.TryAdd(sent[i], 0);
                        }
                    }
                }
            }
        }
        catch (System.Net.Sockets.SocketException)
        {
            // The server died under a write.
        }
    }
}
