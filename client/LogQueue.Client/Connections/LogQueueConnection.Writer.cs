using System.Net.Sockets;
using LogQueue.Protocol;
using LogQueue.Protocol.Codec;
using LogQueue.Protocol.Framing;

namespace LogQueue.Client.Connections;

internal sealed partial class LogQueueConnection
{
    /// <summary>
    /// Encodes <paramref name="request"/> into the transport's queued frames and wakes the writer. Callers never
    /// touch the socket: one loop per transport writes whatever has queued up since its last write, so under load
    /// many frames share one system call.
    /// </summary>
    private void Enqueue<TRequest, TResponse>(ConnectionTransport transport, TRequest request, PendingRequest<TResponse> call)
        where TRequest : IRequest<TRequest, TResponse>
        where TResponse : IPayload<TResponse>
    {
        bool wake;
        lock (transport.WriteLock)
        {
            if (!TryEncodeLocked<TRequest, TResponse>(transport, request, call))
            {
                return;
            }

            wake = MarkWriterBusyLocked(transport);
        }

        if (wake)
        {
            transport.WriterWake.Writer.TryWrite(true);
        }
    }

    /// <summary>
    /// Under the write lock: registers <paramref name="call"/> and writes its frame. A frame that cannot be encoded
    /// or is over the server's frame limit fails the call alone (a too-large frame would make the server close the
    /// connection, taking every other call on it down too).
    /// </summary>
    private bool TryEncodeLocked<TRequest, TResponse>(ConnectionTransport transport, TRequest request, PendingRequest call)
        where TRequest : IRequest<TRequest, TResponse>
        where TResponse : IPayload<TResponse>
    {
        if (transport.IsClosed || !transport.Pending.TryAdd(call, out uint id))
        {
            call.Fail(NotSentException());
            return false;
        }

        int start = transport.Queued.WrittenCount;
        try
        {
            FrameWriter.WriteRequest<TRequest, TResponse>(transport.Queued, id, request, transport.Server.Version);
        }
        catch (Exception ex) when (ex is ArgumentException or ProtocolFormatException or OverflowException)
        {
            transport.Pending.Remove(call);
            call.Fail(new LogQueueException(ErrorCode.InvalidParameterValue, $"The {TRequest.Opcode} request cannot be encoded: {ex.Message}", ex));
            return false;
        }

        int payloadLength = transport.Queued.WrittenCount - start - FrameHeader.Size;
        if (payloadLength > transport.MaxPayloadLength)
        {
            transport.Queued.Truncate(start);
            transport.Pending.Remove(call);
            call.Fail(new LogQueueException(
                ErrorCode.FrameTooLarge,
                $"The {TRequest.Opcode} request is {payloadLength} bytes; {Name} takes frames of at most {transport.MaxPayloadLength} bytes."));
            return false;
        }

        return true;
    }

    /// <summary>Under the write lock: true when the writer was idle and must be woken.</summary>
    private static bool MarkWriterBusyLocked(ConnectionTransport transport)
    {
        if (transport.WriterBusy)
        {
            return false;
        }

        transport.WriterBusy = true;
        return true;
    }

    /// <summary>
    /// The transport's only writer. Each round swaps the queued buffer for the (empty) flushing one under the lock,
    /// then writes outside it; requests that arrive meanwhile queue up for the next round, where single sends are
    /// coalesced first. Sleeps when a round finds nothing to write.
    /// </summary>
    private async Task WriteLoopAsync(ConnectionTransport transport)
    {
        CancellationToken closing = transport.Closing.Token;
        Exception? failure = null;
        try
        {
            while (await transport.WriterWake.Reader.WaitToReadAsync(closing).ConfigureAwait(false))
            {
                transport.WriterWake.Reader.TryRead(out _);
                while (true)
                {
                    FrameBuffer frames;
                    lock (transport.WriteLock)
                    {
                        CoalesceQueuedSendsLocked(transport);
                        if (transport.Queued.WrittenCount == 0 || transport.IsClosed)
                        {
                            transport.WriterBusy = false;
                            break;
                        }

                        frames = transport.Queued;
                        transport.Queued = transport.Flushing;
                        transport.Flushing = frames;
                    }

                    await transport.Stream.WriteAsync(frames.WrittenMemory, closing).ConfigureAwait(false);
                    transport.LastWriteTimestamp = _time.GetTimestamp();
                    frames.Clear();
                }
            }
        }
        catch (OperationCanceledException) when (closing.IsCancellationRequested)
        {
            // The transport closed; whoever closed it failed the pending requests.
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            failure = ex;
        }
        finally
        {
            lock (transport.WriteLock)
            {
                // The writer is the last user of both buffers: once it stops, nothing writes into them.
                transport.MarkClosedLocked();
                transport.Queued.Dispose();
                transport.Flushing.Dispose();
            }
        }

        if (failure is not null)
        {
            await CloseTransportAsync(transport, failure).ConfigureAwait(false);
        }
    }
}
