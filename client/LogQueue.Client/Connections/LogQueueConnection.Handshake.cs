using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using LogQueue.Protocol;
using LogQueue.Protocol.Codec;
using LogQueue.Protocol.Framing;
using LogQueue.Protocol.Operations;

namespace LogQueue.Client.Connections;

internal sealed partial class LogQueueConnection
{
    // The Hello's answer is small; a bigger frame before the handshake is not a LogQueue server.
    private const int MaxHelloResponseLength = 64 << 10;
    private const uint HelloRequestId = 1;

    // The pipe's defaults (4 KiB buffers, 1 KiB minimum read) take six reads, each a syscall and a wake of the
    // read loop, for one answer to a receive of 100 messages of 128 bytes (about 23 KiB); 64 KiB buffers take
    // whatever the socket holds in one read.
    private const int ReadBufferSize = 64 * 1024;
    private const int MinimumReadSize = 16 * 1024;

    /// <summary>
    /// Opens a socket and completes the Hello within <see cref="LogQueueClientOptions.ConnectTimeout"/>. A server
    /// that refuses the Hello throws <see cref="LogQueueException"/> with its code (AuthenticationFailed, say).
    /// </summary>
    private async Task<ConnectionTransport> OpenTransportAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        NetworkStream? stream = null;
        PipeReader? input = null;
        try
        {
            await socket.ConnectAsync(_host, _port, linked.Token).ConfigureAwait(false);
            stream = new NetworkStream(socket, ownsSocket: true);
            input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: ReadBufferSize, minimumReadSize: MinimumReadSize, leaveOpen: true));
            HelloResponse hello = await HelloAsync(stream, input, linked.Token).ConfigureAwait(false);
            var transport = new ConnectionTransport(socket, stream, input, hello, Interlocked.Increment(ref _generation))
            {
                LastWriteTimestamp = _time.GetTimestamp(),
            };
            ServerHello = hello;
            return transport;
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await DisposeQuietlyAsync(socket, stream, input).ConfigureAwait(false);
            throw new LogQueueException(ErrorCode.ConnectionLost, $"Could not connect to {Name} and complete the handshake within {_options.ConnectTimeout.TotalSeconds:0.###} s.", ex);
        }
        catch
        {
            await DisposeQuietlyAsync(socket, stream, input).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<HelloResponse> HelloAsync(NetworkStream stream, PipeReader input, CancellationToken cancellationToken)
    {
        using (var frame = new FrameBuffer())
        {
            var hello = new HelloRequest(ProtocolVersion.Minimum, ProtocolVersion.Current, _options.ClientName, _options.AuthToken);
            FrameWriter.WriteRequest<HelloRequest, HelloResponse>(frame, HelloRequestId, hello);
            await stream.WriteAsync(frame.WrittenMemory, cancellationToken).ConfigureAwait(false);
        }

        while (true)
        {
            ReadResult result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            FrameReadStatus status = FrameReader.TryReadFrame(ref buffer, MaxHelloResponseLength, out FrameHeader header, out ReadOnlySequence<byte> payload);
            if (status == FrameReadStatus.Complete)
            {
                try
                {
                    return ReadHelloResponse(header, payload);
                }
                finally
                {
                    input.AdvanceTo(buffer.Start);
                }
            }

            if (status != FrameReadStatus.Incomplete)
            {
                throw new LogQueueException(ErrorCode.MalformedFrame, $"{Name} answered the Hello with a frame that is not LogQueue's ({status}).");
            }

            if (result.IsCompleted)
            {
                throw new LogQueueException(ErrorCode.ConnectionLost, $"{Name} closed the connection during the handshake.");
            }

            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private HelloResponse ReadHelloResponse(in FrameHeader header, ReadOnlySequence<byte> payload)
    {
        try
        {
            if (header.IsError)
            {
                ErrorResponse error = PayloadDecoder.Decode<ErrorResponse>(payload);
                throw new LogQueueException(error.Code, $"{Name} refused the handshake: {error.Message}");
            }

            if (!header.IsResponse || header.Opcode != Opcode.Hello || header.RequestId != HelloRequestId)
            {
                throw new LogQueueException(ErrorCode.MalformedFrame, $"{Name} answered the Hello with {header.Opcode} (request id {header.RequestId}).");
            }

            HelloResponse hello = PayloadDecoder.Decode<HelloResponse>(payload);
            if (hello.Version is < ProtocolVersion.Minimum or > ProtocolVersion.Current)
            {
                throw new LogQueueException(ErrorCode.UnsupportedProtocolVersion, $"{Name} chose protocol version {hello.Version}; this client speaks {ProtocolVersion.Minimum} to {ProtocolVersion.Current}.");
            }

            return hello;
        }
        catch (ProtocolFormatException ex)
        {
            throw new LogQueueException(ErrorCode.MalformedPayload, $"{Name}'s Hello response does not decode: {ex.Message}", ex);
        }
    }

    private static async ValueTask DisposeQuietlyAsync(Socket socket, NetworkStream? stream, PipeReader? input)
    {
        if (input is not null)
        {
            await input.CompleteAsync().ConfigureAwait(false);
        }

        if (stream is not null)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }

        socket.Dispose();
    }
}
