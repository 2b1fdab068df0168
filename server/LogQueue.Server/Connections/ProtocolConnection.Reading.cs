using System.Buffers;
using System.IO.Pipelines;
using System.Globalization;
using LogQueue.Protocol;
using LogQueue.Protocol.Framing;
using LogQueue.Server.Dispatch;

namespace LogQueue.Server.Connections;

internal sealed partial class ProtocolConnection
{
    // Read by the timeout timer's thread.
    private volatile bool _handshakeDone;

    private int MaxPayloadLength => _handshakeDone
        ? _options.MaxFrameLength - FrameHeader.Size
        : Math.Min(ProtocolVersion.MaxHelloPayloadLength, _options.MaxFrameLength - FrameHeader.Size);

    private async Task ReadLoopAsync()
    {
        while (true)
        {
            ReadResult result;
            try
            {
                result = await _input.ReadAsync(_stopReading.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stopReading.IsCancellationRequested)
            {
                OnStoppedReading();
                return;
            }

            ReadOnlySequence<byte> buffer = result.Buffer;
            bool close = false;
            try
            {
                while (true)
                {
                    if (!HasCapacity)
                    {
                        // Responses already encoded in this batch must go out, or the wait below could never end.
                        _outbound.Publish();
                        await WaitUntilAsync(static c => c.HasCapacity, _stopReading.Token).ConfigureAwait(false);
                        if (_stopReading.IsCancellationRequested || _outbound.Failed)
                        {
                            OnStoppedReading();
                            close = true;
                            break;
                        }
                    }

                    FrameReadStatus status = FrameReader.TryReadFrame(ref buffer, MaxPayloadLength, out FrameHeader header, out ReadOnlySequence<byte> payload);
                    if (status == FrameReadStatus.Incomplete)
                    {
                        break;
                    }

                    if (!HandleFrame(status, header, payload))
                    {
                        close = true;
                        break;
                    }
                }
            }
            finally
            {
                _outbound.Publish();
                _input.AdvanceTo(buffer.Start, buffer.End);
            }

            if (close || result.IsCompleted || _outbound.Failed)
            {
                return;
            }
        }
    }

    /// <summary>Handles one frame; false when the connection must close (after the error response already written).</summary>
    private bool HandleFrame(FrameReadStatus status, in FrameHeader header, ReadOnlySequence<byte> payload)
    {
        if (status == FrameReadStatus.Malformed)
        {
            return Refuse(header, ErrorCode.MalformedFrame, string.Create(CultureInfo.InvariantCulture, $"The frame header sets reserved flag bits (flags 0x{(ushort)header.Flags:X4}); the stream cannot be trusted."));
        }

        if (!_handshakeDone && header.Opcode != Opcode.Hello)
        {
            return RefuseHandshake(header, ErrorCode.HandshakeRequired, $"The first frame must be a Hello; got opcode 0x{(ushort)header.Opcode:X4}.");
        }

        if (status == FrameReadStatus.TooLarge)
        {
            // Refused on the header alone: the payload is never read, let alone buffered.
            return Refuse(header, ErrorCode.FrameTooLarge, string.Create(CultureInfo.InvariantCulture, $"The frame announces {header.PayloadLength} bytes of payload; the most is {MaxPayloadLength}."));
        }

        if (header.Flags != FrameFlags.None)
        {
            return Refuse(header, ErrorCode.MalformedFrame, "A request must not set the response or error flag.");
        }

        Volatile.Write(ref _lastActivity, Environment.TickCount64);
        Interlocked.Increment(ref _requests);
        _registry.CountRequest();
        if (header.Opcode == Opcode.Hello)
        {
            return _handshakeDone
                ? Refuse(header, ErrorCode.HandshakeRequired, "The handshake is already done; a connection sends Hello once.")
                : Handshake(header, payload);
        }

        if (!RequestDispatcher.IsKnown(header.Opcode))
        {
            _outbound.WriteError(header.Opcode, header.RequestId, ErrorCode.UnknownOpcode, $"Opcode 0x{(ushort)header.Opcode:X4} is not one this server knows.");
            return true;
        }

        if (RequestDispatcher.RunsInline(header.Opcode))
        {
            try
            {
                _dispatcher.RunInline(header, payload, _outbound);
            }
            catch (Exception ex)
            {
                AnswerUnexpected(header, ex);
            }

            return true;
        }

        StartRequest(header, payload);
        return true;
    }

    /// <summary>Answers a frame that breaks the protocol with an error, logs it, and says the connection must close.</summary>
    private bool Refuse(in FrameHeader header, ErrorCode code, string reason)
    {
        ConnectionLog.ProtocolViolation(_logger, _remote, code, reason);
        _outbound.WriteError(header.Opcode, header.RequestId, code, reason);
        return false;
    }

    private void OnStoppedReading()
    {
        if (_stopReason == StopReason.TimedOut)
        {
            string reason = _handshakeDone
                ? string.Create(CultureInfo.InvariantCulture, $"No request for {_options.IdleTimeoutMs} ms (IdleTimeoutMs); send a Ping to keep an idle connection open.")
                : string.Create(CultureInfo.InvariantCulture, $"No Hello within {_options.HandshakeTimeoutMs} ms of connecting (HandshakeTimeoutMs).");
            ConnectionLog.TimedOut(_logger, _remote, reason);
            _outbound.WriteError(0, 0, ErrorCode.Timeout, reason);
        }
    }
}
