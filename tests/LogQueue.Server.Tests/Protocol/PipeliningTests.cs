using System.Text;
using LogQueue.Protocol;
using LogQueue.Protocol.Operations;
using LogQueue.Server.Tests.Infrastructure;

namespace LogQueue.Server.Tests.Protocol;

public sealed class PipeliningTests(ProtocolServerFixture fixture) : IClassFixture<ProtocolServerFixture>
{
    private ProtocolServer Server => fixture.Server;

    [Fact]
    public async Task A_long_poll_does_not_hold_up_the_requests_behind_it()
    {
        await using RawProtocolConnection c = await Server.OpenAsync();
        await c.CreateQueueAsync("long-poll");

        await c.SendRequestAsync<ReceiveMessageRequest, ReceiveMessageResponse>(100, new ReceiveMessageRequest("long-poll", 1, WaitTime: TimeSpan.FromSeconds(20)));
        await c.SendRequestAsync<PingRequest, EmptyResponse>(101, PingRequest.Instance);

        // The ping, sent second, is answered first while the receive waits.
        ResponseFrame first = (await c.ReadFrameAsync(TimeSpan.FromSeconds(5)))!;
        Assert.Equal(101u, first.Header.RequestId);
        Assert.Equal(Opcode.Ping, first.Header.Opcode);

        // A send on this same connection wakes the waiting receive; both answers come back, tagged.
        await c.SendRequestAsync<SendMessageRequest, SendMessageResponse>(102, new SendMessageRequest("long-poll", new OutgoingMessage(Encoding.UTF8.GetBytes("woken"))));
        var answers = new Dictionary<uint, ResponseFrame>();
        for (int i = 0; i < 2; i++)
        {
            ResponseFrame frame = (await c.ReadFrameAsync(TimeSpan.FromSeconds(10)))!;
            answers[frame.Header.RequestId] = frame;
        }

        Assert.True(answers[102].Decode<SendMessageResponse>().SequenceNumber >= 0);
        Assert.Equal("woken", Assert.Single(answers[100].Decode<ReceiveMessageResponse>().Messages).BodyText());
    }

    [Fact]
    public async Task Many_requests_pipelined_in_one_write_all_get_their_answers()
    {
        await using RawProtocolConnection c = await Server.OpenAsync();
        await c.CreateQueueAsync("pipelined");

        const int Count = 2000;
        using var frames = new MemoryStream();
        for (uint id = 1; id <= Count; id++)
        {
            byte[] frame = id % 2 == 0
                ? RawProtocolConnection.Frame<PingRequest, EmptyResponse>(1000 + id, PingRequest.Instance)
                : RawProtocolConnection.Frame<SendMessageRequest, SendMessageResponse>(1000 + id, new SendMessageRequest("pipelined", new OutgoingMessage(Encoding.UTF8.GetBytes($"m{id}"))));
            frames.Write(frame);
        }

        await c.SendAsync(frames.ToArray());
        var seen = new HashSet<uint>();
        for (int i = 0; i < Count; i++)
        {
            ResponseFrame frame = (await c.ReadFrameAsync())!;
            Assert.False(frame.Header.IsError);
            Assert.True(seen.Add(frame.Header.RequestId));
        }

        Assert.Equal(Enumerable.Range(1001, Count).Select(i => (uint)i).ToHashSet(), seen);
        StatsResponse stats = await c.CallAsync<StatsRequest, StatsResponse>(StatsRequest.Instance);
        Assert.Equal(Count / 2, stats.Queues.Single(q => q.QueueName == "pipelined").Visible);
    }

    [Fact]
    public async Task Two_hundred_concurrent_connections_each_complete_a_round_trip()
    {
        await using (RawProtocolConnection setup = await Server.OpenAsync())
        {
            await setup.CreateQueueAsync("concurrent");
        }

        RawProtocolConnection[] connections = await Task.WhenAll(Enumerable.Range(0, 220).Select(_ => Server.OpenAsync()));
        try
        {
            await Task.WhenAll(connections.Select(async (c, i) =>
            {
                await c.SendAsync("concurrent", $"from {i}");
                await c.PingAsync();
            }));

            await using RawProtocolConnection check = await Server.OpenAsync();
            StatsResponse stats = await check.CallAsync<StatsRequest, StatsResponse>(StatsRequest.Instance);
            Assert.True(stats.OpenConnections >= 221, $"{stats.OpenConnections} open");
            Assert.Equal(220, stats.Queues.Single(q => q.QueueName == "concurrent").Visible);
        }
        finally
        {
            foreach (RawProtocolConnection c in connections)
            {
                await c.DisposeAsync();
            }
        }
    }
}
