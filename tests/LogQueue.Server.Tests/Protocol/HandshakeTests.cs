using LogQueue.Protocol;
using LogQueue.Protocol.Operations;
using LogQueue.Server.Tests.Infrastructure;

namespace LogQueue.Server.Tests.Protocol;

public sealed class HandshakeTests(ProtocolServerFixture fixture) : IClassFixture<ProtocolServerFixture>
{
    private ProtocolServer Server => fixture.Server;

    [Fact]
    public async Task Hello_negotiates_the_highest_common_version_and_reports_the_limits()
    {
        await using RawProtocolConnection connection = await Server.ConnectAsync();
        await connection.SendAsync(RawProtocolConnection.HelloFrame(7, minVersion: 1, maxVersion: 9));

        ResponseFrame frame = (await connection.ReadFrameAsync())!;
        Assert.Equal(7u, frame.Header.RequestId);
        Assert.Equal(Opcode.Hello, frame.Header.Opcode);
        HelloResponse hello = frame.Decode<HelloResponse>();
        Assert.Equal(ProtocolVersion.Current, hello.Version);
        Assert.Equal(16 << 20, hello.MaxFrameLength);
        Assert.Equal(100, hello.MaxBatchSize);
        Assert.Equal(1 << 20, hello.MaxMessageSize);
        Assert.Equal(300_000, hello.IdleTimeoutMs);
        Assert.False(string.IsNullOrEmpty(hello.ServerVersion));

        await connection.PingAsync();
    }

    [Fact]
    public async Task A_version_1_client_is_answered_in_version_1_and_a_client_of_both_in_version_2()
    {
        await using RawProtocolConnection v1 = await Server.OpenAsync(maxVersion: 1);
        await using RawProtocolConnection both = await Server.OpenAsync();

        Assert.Equal(1, v1.Version);
        Assert.Equal(2, both.Version);
        await v1.PingAsync();
        await both.PingAsync();
    }

    [Fact]
    public async Task Hello_without_a_common_version_is_refused_and_the_connection_closed()
    {
        await using RawProtocolConnection connection = await Server.ConnectAsync();
        await connection.SendAsync(RawProtocolConnection.HelloFrame(3, minVersion: ProtocolVersion.Current + 1, maxVersion: ProtocolVersion.Current + 4));

        IReadOnlyList<ResponseFrame> frames = await connection.ReadUntilClosedAsync();
        ResponseFrame error = Assert.Single(frames);
        Assert.Equal(3u, error.Header.RequestId);
        Assert.Equal(ErrorCode.UnsupportedProtocolVersion, error.Error.Code);
    }

    [Fact]
    public async Task Hello_with_wrong_magic_is_refused_and_the_connection_closed()
    {
        await using RawProtocolConnection connection = await Server.ConnectAsync();
        byte[] hello = RawProtocolConnection.HelloFrame(4);
        "HTTP"u8.CopyTo(hello.AsSpan(12));
        await connection.SendAsync(hello);

        ResponseFrame error = Assert.Single(await connection.ReadUntilClosedAsync());
        Assert.Equal(ErrorCode.UnsupportedProtocolVersion, error.Error.Code);
        Assert.Contains("LQUE", error.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_before_the_hello_gets_HandshakeRequired_and_the_connection_closed()
    {
        await using RawProtocolConnection connection = await Server.ConnectAsync();
        await connection.SendRequestAsync<PingRequest, EmptyResponse>(5, PingRequest.Instance);

        ResponseFrame error = Assert.Single(await connection.ReadUntilClosedAsync());
        Assert.Equal(5u, error.Header.RequestId);
        Assert.Equal(ErrorCode.HandshakeRequired, error.Error.Code);
    }

    [Fact]
    public async Task A_second_hello_is_refused_and_the_connection_closed()
    {
        await using RawProtocolConnection connection = await Server.OpenAsync();
        await connection.SendAsync(RawProtocolConnection.HelloFrame(9));

        ResponseFrame error = Assert.Single(await connection.ReadUntilClosedAsync());
        Assert.Equal(9u, error.Header.RequestId);
        Assert.Equal(ErrorCode.HandshakeRequired, error.Error.Code);
    }

    [Fact]
    public async Task A_hello_longer_than_the_pre_handshake_limit_gets_FrameTooLarge_and_the_connection_closed()
    {
        await using RawProtocolConnection connection = await Server.ConnectAsync();
        await connection.SendAsync(RawProtocolConnection.RawFrame((ushort)Opcode.Hello, 2, [], announcedLength: ProtocolVersion.MaxHelloPayloadLength + 1));

        ResponseFrame error = Assert.Single(await connection.ReadUntilClosedAsync());
        Assert.Equal(2u, error.Header.RequestId);
        Assert.Equal(ErrorCode.FrameTooLarge, error.Error.Code);
    }

    [Fact]
    public async Task The_error_before_a_close_reaches_a_client_that_pipelined_more_behind_its_hello()
    {
        // Unread requests in the socket would turn the close into a reset that can destroy the error frame;
        // the server discards them until the client, having read the error, closes.
        await using RawProtocolConnection connection = await Server.ConnectAsync();
        using var bytes = new MemoryStream();
        bytes.Write(RawProtocolConnection.HelloFrame(1, minVersion: 9, maxVersion: 9));
        for (uint id = 2; id < 20_000; id++)
        {
            bytes.Write(RawProtocolConnection.Frame<PingRequest, EmptyResponse>(id, PingRequest.Instance));
        }

        await connection.SendAsync(bytes.ToArray());
        ResponseFrame error = (await connection.ReadFrameAsync())!;
        Assert.Equal(ErrorCode.UnsupportedProtocolVersion, error.Error.Code);
    }
}
