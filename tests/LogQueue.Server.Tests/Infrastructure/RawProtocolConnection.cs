using System.Buffers;
using System.Net;
using System.Net.Sockets;
using LogQueue.Protocol;
using LogQueue.Protocol.Codec;
using LogQueue.Protocol.Framing;
using LogQueue.Protocol.Operations;

namespace LogQueue.Server.Tests.Infrastructure;

/// <summary>
/// A deliberately bare protocol client over a socket: it sends whatever bytes a test gives it (valid frames or
/// not) and reads frames back one at a time, so tests see exactly what the server put on the wire, in order.
/// </summary>
public sealed class RawProtocolConnection : IAsyncDisposable
{
    public static readonly TimeSpan DefaultReadTimeout = TimeSpan.FromSeconds(15);

    private readonly Socket _socket;
    private byte[] _buffer = new byte[64 << 10];
    private int _start;
    private int _end;
    private uint _nextRequestId;

    private RawProtocolConnection(Socket socket)
    {
        _socket = socket;
    }

    public Socket Socket => _socket;

    /// <summary>The protocol version the Hello negotiated; responses are decoded in it.</summary>
    public ushort Version { get; private set; } = ProtocolVersion.Current;

    public static async Task<RawProtocolConnection> ConnectAsync(IPEndPoint endpoint)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(endpoint, cts.Token);
        return new RawProtocolConnection(socket);
    }

    /// <summary>Connects and completes the handshake, offering versions up to <paramref name="maxVersion"/>.</summary>
    public static async Task<RawProtocolConnection> OpenAsync(IPEndPoint endpoint, string? authToken = null, ushort maxVersion = ProtocolVersion.Current)
    {
        RawProtocolConnection connection = await ConnectAsync(endpoint);
        await connection.HelloAsync(authToken, maxVersion);
        return connection;
    }

    public uint NextRequestId() => ++_nextRequestId;

    /// <summary>Encodes a request frame.</summary>
    public static byte[] Frame<TRequest, TResponse>(uint requestId, TRequest request)
        where TRequest : IRequest<TRequest, TResponse>
        where TResponse : IPayload<TResponse>
    {
        using var frames = new FrameBuffer();
        FrameWriter.WriteRequest<TRequest, TResponse>(frames, requestId, request);
        return frames.WrittenSpan.ToArray();
    }

    /// <summary>A frame with any header fields and payload bytes, valid or not.</summary>
    public static byte[] RawFrame(ushort opcode, uint requestId, ReadOnlySpan<byte> payload, ushort flags = 0, uint? announcedLength = null)
    {
        byte[] frame = new byte[FrameHeader.Size + payload.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(frame, announcedLength ?? (uint)payload.Length);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(4), opcode);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(6), flags);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(8), requestId);
        payload.CopyTo(frame.AsSpan(FrameHeader.Size));
        return frame;
    }

    public static byte[] HelloFrame(uint requestId, string? authToken = null, ushort minVersion = ProtocolVersion.Minimum, ushort maxVersion = ProtocolVersion.Current) =>
        Frame<HelloRequest, HelloResponse>(requestId, new HelloRequest(minVersion, maxVersion, "raw-test-client", authToken));

    public async Task SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        while (!bytes.IsEmpty)
        {
            int sent = await _socket.SendAsync(bytes, SocketFlags.None, cancellationToken);
            bytes = bytes[sent..];
        }
    }

    public Task SendRequestAsync<TRequest, TResponse>(uint requestId, TRequest request)
        where TRequest : IRequest<TRequest, TResponse>
        where TResponse : IPayload<TResponse> =>
        SendAsync(Frame<TRequest, TResponse>(requestId, request));

    public async Task<HelloResponse> HelloAsync(string? authToken = null, ushort maxVersion = ProtocolVersion.Current)
    {
        uint id = NextRequestId();
        await SendAsync(HelloFrame(id, authToken, maxVersion: maxVersion));
        ResponseFrame frame = await ReadFrameAsync() ?? throw new InvalidOperationException("The server closed the connection instead of answering the Hello.");
        Assert.Equal(id, frame.Header.RequestId);
        HelloResponse hello = frame.Decode<HelloResponse>();
        Version = hello.Version;
        return hello;
    }

    /// <summary>Sends a request and reads its response (no other request may be outstanding); an error response throws.</summary>
    public async Task<TResponse> CallAsync<TRequest, TResponse>(TRequest request)
        where TRequest : IRequest<TRequest, TResponse>
        where TResponse : IPayload<TResponse>
    {
        uint id = NextRequestId();
        await SendRequestAsync<TRequest, TResponse>(id, request);
        ResponseFrame frame = await ReadFrameAsync() ?? throw new InvalidOperationException($"The server closed the connection instead of answering {TRequest.Opcode}.");
        Assert.Equal(id, frame.Header.RequestId);
        Assert.Equal(TRequest.Opcode, frame.Header.Opcode);
        if (frame.Header.IsError)
        {
            ErrorResponse error = frame.Error;
            throw new ProtocolErrorException(error.Code, error.Message);
        }

        return frame.Decode<TResponse>();
    }

    /// <summary>Sends a request that must fail and returns the error.</summary>
    public async Task<ErrorResponse> CallExpectingErrorAsync<TRequest, TResponse>(TRequest request)
        where TRequest : IRequest<TRequest, TResponse>
        where TResponse : IPayload<TResponse>
    {
        ProtocolErrorException error = await Assert.ThrowsAsync<ProtocolErrorException>(() => CallAsync<TRequest, TResponse>(request));
        return new ErrorResponse(error.Code, error.Message);
    }

    /// <summary>The next frame, or null when the server closed (or reset) the connection first.</summary>
    public async Task<ResponseFrame?> ReadFrameAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultReadTimeout);
        while (true)
        {
            var unread = new ReadOnlySequence<byte>(_buffer, _start, _end - _start);
            FrameReadStatus status = FrameReader.TryReadFrame(ref unread, int.MaxValue - FrameHeader.Size, out FrameHeader header, out ReadOnlySequence<byte> payload);
            if (status == FrameReadStatus.Complete)
            {
                _start = _end - (int)unread.Length;
                if (_start == _end)
                {
                    _start = _end = 0;
                }

                return new ResponseFrame(header, payload.ToArray(), Version);
            }

            Assert.Equal(FrameReadStatus.Incomplete, status);
            if (_end == _buffer.Length)
            {
                int needed = header.PayloadLength + FrameHeader.Size;
                byte[] grown = new byte[Math.Max(_buffer.Length, needed * 2)];
                _buffer.AsSpan(_start, _end - _start).CopyTo(grown);
                _end -= _start;
                _start = 0;
                _buffer = grown;
            }

            int read;
            try
            {
                read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No whole frame within {(timeout ?? DefaultReadTimeout).TotalSeconds} s.");
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
            {
                return null;
            }

            if (read == 0)
            {
                return null;
            }

            _end += read;
        }
    }

    /// <summary>Reads frames until the server closes the connection; returns them. Throws if it stays open.</summary>
    public async Task<IReadOnlyList<ResponseFrame>> ReadUntilClosedAsync(TimeSpan? timeout = null)
    {
        var frames = new List<ResponseFrame>();
        while (await ReadFrameAsync(timeout) is { } frame)
        {
            frames.Add(frame);
        }

        return frames;
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
