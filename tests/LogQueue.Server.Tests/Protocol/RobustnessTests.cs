using System.Text;
using LogQueue.Protocol;
using LogQueue.Protocol.Framing;
using LogQueue.Protocol.Operations;
using LogQueue.Server.Tests.Infrastructure;

namespace LogQueue.Server.Tests.Protocol;

/// <summary>Bad input: every case gets a clear error, and neither the server nor (where the spec says so) the connection goes down.</summary>
public sealed class RobustnessTests(ProtocolServerFixture fixture) : IClassFixture<ProtocolServerFixture>
{
    private ProtocolServer Server => fixture.Server;

    [Fact]
    public async Task Unknown_opcodes_and_malformed_payloads_get_errors_and_the_connection_stays_usable()
    {
        await using RawProtocolConnection c = await Server.OpenAsync();

        await c.SendAsync(RawProtocolConnection.RawFrame(0x7777, 11, [1, 2, 3]));
        ErrorResponse unknown = (await c.ReadFrameAsync())!.Error;
        Assert.Equal(ErrorCode.UnknownOpcode, unknown.Code);

        // A CreateQueue whose string length runs past the payload, and a ping with a trailing byte.
        await c.SendAsync(RawProtocolConnection.RawFrame((ushort)Opcode.CreateQueue, 12, [200, 0, (byte)'q']));
        ResponseFrame truncated = (await c.ReadFrameAsync())!;
        Assert.Equal(12u, truncated.Header.RequestId);
        Assert.Equal(ErrorCode.MalformedPayload, truncated.Error.Code);

        await c.SendAsync(RawProtocolConnection.RawFrame((ushort)Opcode.Ping, 13, [0]));
        Assert.Equal(ErrorCode.MalformedPayload, (await c.ReadFrameAsync())!.Error.Code);

        // A send whose body is not valid for the engine: an engine error, still usable.
        await c.CreateQueueAsync("robust");
        ErrorResponse empty = await c.CallExpectingErrorAsync<SendMessageRequest, SendMessageResponse>(new SendMessageRequest("robust", new OutgoingMessage(ReadOnlyMemory<byte>.Empty)));
        Assert.Equal(ErrorCode.InvalidParameterValue, empty.Code);

        await c.PingAsync();
        await c.SendAsync("robust", "still fine");
    }

    [Fact]
    public async Task An_oversized_length_gets_FrameTooLarge_and_a_close_without_the_server_allocating_it()
    {
        long before = Server.ResidentBytes();
        for (int i = 0; i < 20; i++)
        {
            await using RawProtocolConnection c = await Server.OpenAsync();
            await c.SendAsync(RawProtocolConnection.RawFrame((ushort)Opcode.SendMessage, 77, "some"u8, announcedLength: 0xFFFF_FFF0));

            ResponseFrame error = Assert.Single(await c.ReadUntilClosedAsync());
            Assert.Equal(77u, error.Header.RequestId);
            Assert.Equal(ErrorCode.FrameTooLarge, error.Error.Code);
        }

        // Twenty 4 GiB claims, and the server grew by far less than one of them.
        Assert.True(Server.ResidentBytes() - before < 64L << 20, $"RSS grew from {before} to {Server.ResidentBytes()} bytes.");
        await using RawProtocolConnection healthy = await Server.OpenAsync();
        await healthy.PingAsync();
    }

    [Fact]
    public async Task Reserved_flag_bits_or_a_response_flag_get_MalformedFrame_and_a_close()
    {
        await using (RawProtocolConnection c = await Server.OpenAsync())
        {
            await c.SendAsync(RawProtocolConnection.RawFrame((ushort)Opcode.Ping, 21, [], flags: 0x0100));
            ResponseFrame error = Assert.Single(await c.ReadUntilClosedAsync());
            Assert.Equal(ErrorCode.MalformedFrame, error.Error.Code);
        }

        await using (RawProtocolConnection c = await Server.OpenAsync())
        {
            await c.SendAsync(RawProtocolConnection.RawFrame((ushort)Opcode.Ping, 22, [], flags: (ushort)FrameFlags.Response));
            ResponseFrame error = Assert.Single(await c.ReadUntilClosedAsync());
            Assert.Equal(22u, error.Header.RequestId);
            Assert.Equal(ErrorCode.MalformedFrame, error.Error.Code);
        }
    }

    [Fact]
    public async Task Random_bytes_and_truncated_frames_on_many_connections_leave_the_server_healthy()
    {
        byte[] hello = RawProtocolConnection.HelloFrame(1);
        byte[] send = RawProtocolConnection.Frame<SendMessageRequest, SendMessageResponse>(2, new SendMessageRequest("garbage", new OutgoingMessage(Encoding.UTF8.GetBytes("body"))));
        await Task.WhenAll(Enumerable.Range(0, 60).Select(async i =>
        {
            var random = new Random(i);
            await using RawProtocolConnection c = await Server.ConnectAsync();
            byte[] bytes = (i % 3) switch
            {
                0 => RandomBytes(random, 1 + (i * 37 % 4096)),                                    // noise before any handshake
                1 => [.. hello, .. send.AsSpan(0, 1 + (i % (send.Length - 1)))],                  // a frame cut short
                _ => [.. hello, .. RandomBytes(random, 1 + (i * 53 % 2048))],                    // noise after the handshake
            };
            try
            {
                await c.SendAsync(bytes);
                c.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
                await c.ReadUntilClosedAsync(TimeSpan.FromSeconds(10));
            }
            catch (System.Net.Sockets.SocketException)
            {
                // The server may close first and reset the rest of the write; that is an acceptable answer to noise.
            }
        }));

        Assert.False(Server.Process.HasExited);
        await using RawProtocolConnection healthy = await Server.OpenAsync();
        await healthy.CreateQueueAsync("after-garbage");
        await healthy.SendAsync("after-garbage", "ok");
        Assert.Equal("ok", Assert.Single(await healthy.ReceiveAsync("after-garbage")).BodyText());
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task A_client_that_floods_without_reading_cannot_grow_the_server_without_bound()
    {
        long before = Server.ResidentBytes();
        await using RawProtocolConnection flood = await Server.OpenAsync();
        flood.Socket.ReceiveBufferSize = 64 << 10;

        // Stats answers are far larger than the requests, so the server's unread responses would outgrow any buffer
        // quickly if nothing stopped it reading.
        using var batch = new MemoryStream();
        for (int i = 0; i < 1000; i++)
        {
            batch.Write(RawProtocolConnection.Frame<ListQueuesRequest, ListQueuesResponse>((uint)i + 1, new ListQueuesRequest(null)));
        }

        await using (RawProtocolConnection setup = await Server.OpenAsync())
        {
            for (int i = 0; i < 50; i++)
            {
                await setup.CreateQueueAsync($"flood-queue-with-a-rather-long-name-{i:D3}");
            }
        }

        byte[] bytes = batch.ToArray();
        long written = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            while (written < 1L << 30)
            {
                using var stalled = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                stalled.CancelAfter(TimeSpan.FromSeconds(2));
                await flood.SendAsync(bytes, stalled.Token);
                written += bytes.Length;
            }
        }
        catch (OperationCanceledException)
        {
            // The send stalled: the server stopped reading, and TCP pushed back. That is the point.
        }

        long growth = Server.ResidentBytes() - before;
        Assert.True(written < 1L << 30, "The server read a gigabyte of requests without the client reading one answer.");
        Assert.True(growth < 160L << 20, $"The server grew by {growth >> 20} MiB after the client wrote {written >> 20} MiB of requests without reading.");

        await using RawProtocolConnection healthy = await Server.OpenAsync();
        await healthy.PingAsync();
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
