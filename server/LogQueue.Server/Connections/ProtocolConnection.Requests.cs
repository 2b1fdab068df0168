using System.Buffers;
using LogQueue.Engine;
using LogQueue.Protocol.Framing;
using ErrorCode = LogQueue.Protocol.ErrorCode;

namespace LogQueue.Server.Connections;

internal sealed partial class ProtocolConnection
{
    private readonly Lock _progressLock = new();
    private TaskCompletionSource? _progress;
    private int _pendingRequests;
    private long _pendingBytes;

    private int PendingRequests => Volatile.Read(ref _pendingRequests);

    /// <summary>True while the read loop may take another frame; see the back-pressure remarks on the class.</summary>
    private bool HasCapacity =>
        _outbound.Failed
        || (_outbound.QueuedBytes <= OutboundBudget
            && PendingRequests < MaxPendingRequests
            && Interlocked.Read(ref _pendingBytes) <= _pendingBytesBudget);

    /// <summary>
    /// Starts a request that may wait. Its payload is copied out of the socket's buffers into one pooled array, which
    /// the read loop may then release; decoded byte strings (message bodies) are slices of that array, and the array
    /// goes back to the pool only after the response has been encoded.
    /// </summary>
    private void StartRequest(in FrameHeader header, ReadOnlySequence<byte> payload)
    {
        int length = (int)payload.Length;
        byte[] copy = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        payload.CopyTo(copy);
        Interlocked.Increment(ref _pendingRequests);
        Interlocked.Add(ref _pendingBytes, length);
        _ = RunRequestAsync(header, copy, length);
    }

    private async Task RunRequestAsync(FrameHeader header, byte[] payload, int length)
    {
        try
        {
            await _dispatcher.RunAsync(header, payload.AsMemory(0, length), _outbound, _requestsCancellation.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            AnswerUnexpected(header, ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(payload);
            Interlocked.Add(ref _pendingBytes, -length);
            Interlocked.Decrement(ref _pendingRequests);
            Volatile.Write(ref _lastActivity, Environment.TickCount64);
            _outbound.Publish();
            SignalProgress();
        }
    }

    /// <summary>Answers a request that failed in a way the dispatcher does not map (a bug, or the engine closing under it).</summary>
    private void AnswerUnexpected(in FrameHeader header, Exception exception)
    {
        if (_serverStopping.IsCancellationRequested && exception is ObjectDisposedException or LogQueueException { Code: Engine.ErrorCode.Closed })
        {
            _outbound.WriteError(header.Opcode, header.RequestId, ErrorCode.ShuttingDown, "The server is shutting down; retry once it is back.");
            return;
        }

        ConnectionLog.RequestFailed(_logger, header.Opcode, header.RequestId, _remote, exception);
        _outbound.WriteError(header.Opcode, header.RequestId, ErrorCode.InternalError, "The server failed to process the request; the server log has the details.");
    }

    /// <summary>Waits until <paramref name="condition"/> holds; false when <paramref name="cancellationToken"/> ends the wait first.</summary>
    private async Task<bool> WaitUntilAsync(Func<ProtocolConnection, bool> condition, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task progress;
            lock (_progressLock)
            {
                if (condition(this))
                {
                    return true;
                }

                _progress ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                progress = _progress.Task;
            }

            try
            {
                await progress.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return condition(this);
            }
        }
    }

    /// <summary>Wakes <see cref="WaitUntilAsync"/>: a request ended or responses were flushed.</summary>
    private void SignalProgress()
    {
        TaskCompletionSource? progress;
        lock (_progressLock)
        {
            progress = _progress;
            _progress = null;
        }

        progress?.TrySetResult();
    }
}
