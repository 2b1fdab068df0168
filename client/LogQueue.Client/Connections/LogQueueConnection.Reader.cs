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
    /// <summary>
    /// The transport's only reader: takes every whole frame in what has arrived, completes the request with its id
    /// (responses may come in any order), and releases the bytes. A response whose request timed out or was
    /// cancelled finds no entry and is dropped. Any read failure, or a frame that breaks the protocol, closes the
    /// transport and fails whatever is still waiting.
    /// </summary>
    private async Task ReadLoopAsync(ConnectionTransport transport)
    {
        CancellationToken closing = transport.Closing.Token;
        PipeReader input = transport.Input;
        Exception failure;
        try
        {
            while (true)
            {
                ReadResult result = await input.ReadAsync(closing).ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                try
                {
                    while (true)
                    {
                        FrameReadStatus status = FrameReader.TryReadFrame(ref buffer, transport.MaxPayloadLength, out FrameHeader header, out ReadOnlySequence<byte> payload);
                        if (status == FrameReadStatus.Incomplete)
                        {
                            break;
                        }

                        if (status != FrameReadStatus.Complete)
                        {
                            throw new LogQueueException(
                                status == FrameReadStatus.TooLarge ? ErrorCode.FrameTooLarge : ErrorCode.MalformedFrame,
                                $"{Name} sent a frame that breaks the protocol ({status}, {header.PayloadLength} bytes, flags {header.Flags}).");
                        }

                        Dispatch(transport, header, payload);
                    }
                }
                finally
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                }

                if (result.IsCompleted)
                {
                    failure = new IOException($"{Name} closed the connection.");
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (closing.IsCancellationRequested)
        {
            await input.CompleteAsync().ConfigureAwait(false);
            return;
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or LogQueueException)
        {
            failure = ex;
        }

        await input.CompleteAsync().ConfigureAwait(false);
        await CloseTransportAsync(transport, failure).ConfigureAwait(false);
    }

    private void Dispatch(ConnectionTransport transport, in FrameHeader header, ReadOnlySequence<byte> payload)
    {
        if (header.RequestId == 0)
        {
            // Server-initiated (opcode 0, request id 0): why it is about to close the connection (idle timeout, shutdown).
            string notice = header.IsError ? DescribeError(payload) : header.Opcode.ToString();
            transport.ServerNotice = notice;
            LogServerNotice(Name, notice);
            return;
        }

        if (!header.IsResponse)
        {
            throw new LogQueueException(ErrorCode.MalformedFrame, $"{Name} sent a request frame ({header.Opcode}); a server only answers.");
        }

        if (!transport.Pending.TryRemove(header.RequestId, out PendingRequest? request) || request is null)
        {
            LogLateResponseDropped(Name, header.RequestId, header.Opcode);
            return;
        }

        request.Complete(header, payload, transport.Server.Version);
    }

    private static string DescribeError(ReadOnlySequence<byte> payload)
    {
        try
        {
            ErrorResponse error = PayloadDecoder.Decode<ErrorResponse>(payload);
            return $"{error.Code}: {error.Message}";
        }
        catch (ProtocolFormatException ex)
        {
            return "an error that does not decode: " + ex.Message;
        }
    }
}
