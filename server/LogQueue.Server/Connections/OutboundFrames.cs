using System.Buffers;
using System.IO.Pipelines;
using LogQueue.Protocol;
using LogQueue.Protocol.Codec;
using LogQueue.Protocol.Framing;

namespace LogQueue.Server.Connections;

/// <summary>
/// A connection's outgoing frames. Any thread encodes a response into <see cref="_filling"/> under a short lock
/// (memory only, never I/O); one writer loop (<see cref="RunAsync"/>) swaps the two buffers, copies the full one to
/// the transport and awaits its flush. That await is the back-pressure of a slow reader: while it lasts, encoded
/// frames pile up in the other buffer, <see cref="QueuedBytes"/> grows, and the read loop stops reading requests.
/// </summary>
/// <remarks>
/// The transport's PipeWriter allows one writer at a time, and a lock held across its FlushAsync would stall every
/// request of the connection behind a slow client; hence two buffers and a loop rather than writing in place.
/// </remarks>
internal sealed class OutboundFrames : IDisposable
{
    private readonly PipeWriter _transport;
    private readonly int _maxFrameLength;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private FrameBuffer _filling = new();
    private FrameBuffer _draining = new();
    private long _queuedBytes;
    private int _wakePending;
    private bool _completed;
    private bool _failed;
    private Action? _drained;

    public OutboundFrames(PipeWriter transport, int maxFrameLength)
    {
        _transport = transport;
        _maxFrameLength = maxFrameLength;
    }

    /// <summary>
    /// The protocol version the Hello negotiated, which every later frame is encoded in (a version 1 client gets received
    /// messages without their deduplication id). Set once by the handshake, before any other request is read; frames
    /// before it (the Hello's own answer or refusal) are the same in every version.
    /// </summary>
    public ushort Version { get; set; } = ProtocolVersion.Minimum;

    /// <summary>Bytes encoded and not yet handed to the transport's flush.</summary>
    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    /// <summary>True once writing to the transport failed (the client went away); later frames are dropped.</summary>
    public bool Failed => Volatile.Read(ref _failed);

    /// <summary>Called by the writer loop after each flush, so the read loop can resume when it was over its budget.</summary>
    public void OnDrained(Action drained) => _drained = drained;

    /// <summary>Encodes a successful response. It goes out at the next <see cref="Publish"/>.</summary>
    public void WriteResponse<TResponse>(Opcode opcode, uint requestId, TResponse response)
        where TResponse : IPayload<TResponse> =>
        Write(opcode, FrameFlags.Response, requestId, response);

    /// <summary>
    /// Encodes a successful response unless more than <paramref name="limit"/> bytes are already queued, checked
    /// and written under one lock so concurrent completions cannot all slip under the limit together.
    /// </summary>
    public bool TryWriteResponse<TResponse>(Opcode opcode, uint requestId, TResponse response, long limit)
        where TResponse : IPayload<TResponse>
    {
        lock (_lock)
        {
            if (Interlocked.Read(ref _queuedBytes) > limit)
            {
                return false;
            }

            WriteLocked(opcode, FrameFlags.Response, requestId, response);
            return true;
        }
    }

    /// <summary>Encodes an error response. It goes out at the next <see cref="Publish"/>.</summary>
    public void WriteError(Opcode opcode, uint requestId, ErrorCode code, string message) =>
        Write(opcode, FrameFlags.Response | FrameFlags.Error, requestId, new Protocol.Operations.ErrorResponse(code, message));

    /// <summary>Wakes the writer loop; the read loop calls it once per read batch, async completions once per response.</summary>
    public void Publish()
    {
        if (Interlocked.Exchange(ref _wakePending, 1) == 0)
        {
            _wake.Release();
        }
    }

    /// <summary>No more frames will be written: the writer loop sends what is queued and ends.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            _completed = true;
        }

        Publish();
    }

    /// <summary>The writer loop: runs until <see cref="Complete"/> and everything queued is flushed, or the transport fails.</summary>
    public async Task RunAsync()
    {
        while (true)
        {
            await _wake.WaitAsync().ConfigureAwait(false);
            Volatile.Write(ref _wakePending, 0);

            FrameBuffer ready;
            bool completed;
            lock (_lock)
            {
                (ready, _draining, _filling) = (_filling, _filling, _draining);
                completed = _completed;
            }

            if (ready.WrittenCount > 0)
            {
                int count = ready.WrittenCount;
                try
                {
                    _transport.Write(ready.WrittenSpan);
                    FlushResult flushed = await _transport.FlushAsync().ConfigureAwait(false);
                    if (flushed.IsCanceled || flushed.IsCompleted)
                    {
                        MarkFailed();
                    }
                }
                catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException or ObjectDisposedException)
                {
                    // The client reset or the transport was aborted: nobody is left to read these frames.
                    MarkFailed();
                }
                finally
                {
                    lock (_lock)
                    {
                        ready.Clear();
                    }

                    Interlocked.Add(ref _queuedBytes, -count);
                    _drained?.Invoke();
                }
            }

            if (Failed)
            {
                return;
            }

            if (completed)
            {
                lock (_lock)
                {
                    if (_filling.WrittenCount == 0)
                    {
                        return;
                    }
                }

                Publish();
            }
        }
    }

    /// <summary>Returns the buffers to the pool; call after <see cref="RunAsync"/> has ended. Later writes are dropped.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _filling.Dispose();
            _draining.Dispose();
            _completed = true;
            _failed = true;
        }

        // The semaphore is not disposed: a request that outlived an aborted connection may still call Publish,
        // and without a wait handle (only WaitAsync is used) it holds nothing to release.
    }

    private void Write<TPayload>(Opcode opcode, FrameFlags flags, uint requestId, TPayload payload)
        where TPayload : IPayload<TPayload>
    {
        lock (_lock)
        {
            WriteLocked(opcode, flags, requestId, payload);
        }
    }

    private void WriteLocked<TPayload>(Opcode opcode, FrameFlags flags, uint requestId, TPayload payload)
        where TPayload : IPayload<TPayload>
    {
        if (_failed)
        {
            return;
        }

        int before = _filling.WrittenCount;
        FrameWriter.Write(_filling, opcode, flags, requestId, payload, Version);
        int length = _filling.WrittenCount - before;
        if (length > _maxFrameLength)
        {
            // A client refuses a frame over the negotiated maximum and would lose the connection over it;
            // the request gets an error it can act on instead.
            _filling.Truncate(before);
            FrameWriter.Write(
                _filling,
                opcode,
                FrameFlags.Response | FrameFlags.Error,
                requestId,
                new Protocol.Operations.ErrorResponse(ErrorCode.InternalError, $"The response would be {length} bytes, over the maximum frame length of {_maxFrameLength}; ask for less."),
                Version);
            length = _filling.WrittenCount - before;
        }

        Interlocked.Add(ref _queuedBytes, length);
    }

    private void MarkFailed()
    {
        lock (_lock)
        {
            _failed = true;
            Interlocked.Add(ref _queuedBytes, -_filling.WrittenCount);
            _filling.Clear();
        }
    }
}
