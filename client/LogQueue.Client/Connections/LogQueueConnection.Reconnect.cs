using System.Net.Sockets;
using LogQueue.Protocol;

namespace LogQueue.Client.Connections;

internal sealed partial class LogQueueConnection
{
    private readonly Lock _stateLock = new();
    private volatile ConnectionTransport? _transport;
    private TaskCompletionSource _stateChanged = NewSignal();
    private Exception? _lastConnectError;
    private Task? _connectLoop;
    private long _generation;
    private bool _disposed;

    /// <summary>Opens the socket now, throwing what the first attempt met (refused, AuthenticationFailed...).</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        lock (_stateLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (IsConnected)
            {
                return;
            }
        }

        ConnectionTransport transport = await OpenTransportAsync(cancellationToken).ConfigureAwait(false);
        if (!TryInstall(transport))
        {
            // A background attempt won the race (or the client was disposed): this socket is surplus.
            await DisposeQuietlyAsync(transport.Socket, transport.Stream, transport.Input).ConfigureAwait(false);
            lock (_stateLock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
            }
        }
    }

    /// <summary>The open transport, or one as soon as the (re)connect loop has one, within <paramref name="timeout"/>.</summary>
    private ValueTask<ConnectionTransport> GetTransportAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        ConnectionTransport? transport = _transport;
        return transport is { IsClosed: false } ? new ValueTask<ConnectionTransport>(transport) : WaitForTransportAsync(timeout, cancellationToken);
    }

    private async ValueTask<ConnectionTransport> WaitForTransportAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        long started = _time.GetTimestamp();
        while (true)
        {
            Task changed;
            Exception? lastError;
            lock (_stateLock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_transport is { IsClosed: false } transport)
                {
                    return transport;
                }

                EnsureConnectLoopLocked();
                changed = _stateChanged.Task;
                lastError = _lastConnectError;
            }

            // A server that refuses this client's credentials or protocol will not change its mind by the deadline.
            if (lastError is LogQueueException { Code: ErrorCode.AuthenticationFailed or ErrorCode.UnsupportedProtocolVersion } refused)
            {
                throw new LogQueueException(refused.Code, refused.Message, refused);
            }

            TimeSpan remaining = Remaining(started, timeout);
            if (remaining <= TimeSpan.Zero)
            {
                throw new LogQueueException(
                    ErrorCode.ConnectionLost,
                    $"Not connected to {Name} within {timeout.TotalSeconds:0.###} s" + (lastError is null ? "." : $"; the last attempt failed: {lastError.Message}"),
                    lastError);
            }

            try
            {
                await changed.WaitAsync(remaining, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Checked again at the top, which throws with the last connect error.
            }
        }
    }

    private void EnsureConnectLoopLocked()
    {
        if (_connectLoop is null && !_disposed)
        {
            _connectLoop = Task.Run(ConnectLoopAsync);
        }
    }

    /// <summary>
    /// Connects until it succeeds or the connection is disposed, waiting between attempts with exponential backoff
    /// (from ReconnectBackoffMin, doubling, up to ReconnectBackoffMax) and "equal jitter": half the backoff plus a
    /// random part of the other half, so clients dropped together by a server restart do not reconnect in step.
    /// </summary>
    private async Task ConnectLoopAsync()
    {
        CancellationToken disposing = _disposing.Token;
        TimeSpan backoff = _options.ReconnectBackoffMin;
        int attempt = 0;
        while (!disposing.IsCancellationRequested)
        {
            attempt++;
            try
            {
                ConnectionTransport transport = await OpenTransportAsync(disposing).ConfigureAwait(false);
                if (!TryInstall(transport))
                {
                    await DisposeQuietlyAsync(transport.Socket, transport.Stream, transport.Input).ConfigureAwait(false);
                }

                return;
            }
            catch (OperationCanceledException) when (disposing.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is SocketException or IOException or LogQueueException or OperationCanceledException)
            {
                lock (_stateLock)
                {
                    _lastConnectError = ex;
                }

                SignalStateChanged();
                TimeSpan delay = WithJitter(backoff);
                LogConnectFailed(Name, attempt, delay.TotalMilliseconds, ex.Message);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.ReconnectBackoffMax.Ticks));
                try
                {
                    await Task.Delay(delay, _time, disposing).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Makes <paramref name="transport"/> the current one and starts its loops; false when another got there first.</summary>
    private bool TryInstall(ConnectionTransport transport)
    {
        lock (_stateLock)
        {
            if (_disposed || _transport is { IsClosed: false })
            {
                return false;
            }

            _transport = transport;
            _lastConnectError = null;
            _connectLoop = null;
            transport.Loops = Task.WhenAll(
                Task.Run(() => ReadLoopAsync(transport)),
                Task.Run(() => WriteLoopAsync(transport)),
                Task.Run(() => KeepAliveLoopAsync(transport)));
        }

        LogConnected(Name, transport.Generation, transport.Server.ServerVersion, transport.Server.Version);
        SignalStateChanged();
        return true;
    }

    /// <summary>
    /// Closes a transport once: refuses new frames, fails every request written or encoded with
    /// <see cref="ErrorCode.ConnectionLost"/>, closes the socket, and starts reconnecting. Single sends still waiting
    /// to be coalesced were never encoded, so the server cannot have them: they wait for the next socket instead.
    /// </summary>
    private async Task CloseTransportAsync(ConnectionTransport transport, Exception reason)
    {
        if (!transport.TryBeginClose())
        {
            return;
        }

        List<(string QueueName, QueuedSend Send)> unsent = [];
        lock (transport.WriteLock)
        {
            transport.MarkClosedLocked();
            foreach ((string queueName, List<QueuedSend> sends) in transport.QueuedSends)
            {
                unsent.AddRange(sends.Select(send => (queueName, send)));
            }

            transport.QueuedSends.Clear();
            transport.QueuedSendCount = 0;
        }

        int inFlight = transport.Pending.Count;
        string cause = transport.ServerNotice is { } notice ? $"the server said {notice}" : reason.Message;
        var lost = new LogQueueException(
            ErrorCode.ConnectionLost,
            $"The connection to {Name} was lost before the response arrived ({cause}). A send or delete in flight may or may not have taken effect.",
            reason);
        transport.Pending.FailAll(lost);

        await transport.Closing.CancelAsync().ConfigureAwait(false);
        try
        {
            transport.Socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already reset by the peer or closed.
        }

        await transport.Stream.DisposeAsync().ConfigureAwait(false);
        LogConnectionLost(Name, transport.Generation, inFlight + unsent.Count, cause);

        lock (_stateLock)
        {
            if (ReferenceEquals(_transport, transport))
            {
                _transport = null;
                EnsureConnectLoopLocked();
            }
        }

        SignalStateChanged();
        if (unsent.Count > 0)
        {
            _ = ResendUnwrittenAsync(unsent);
        }
    }

    /// <summary>
    /// Queues sends that a dropped socket never carried on the next one, waiting for it at most the request
    /// timeout. Each caller keeps its own deadline: one that stopped waiting is skipped. A caller hearing
    /// ConnectionLost must assume its send may be stored, so failing sends that were certainly not would invite
    /// duplicate retries; failing them is left for when no socket comes back in time or the client is disposed.
    /// </summary>
    private async Task ResendUnwrittenAsync(List<(string QueueName, QueuedSend Send)> sends)
    {
        long started = _time.GetTimestamp();
        while (true)
        {
            sends.RemoveAll(s => s.Send.Caller.Task.IsCompleted);
            if (sends.Count == 0)
            {
                return;
            }

            ConnectionTransport transport;
            try
            {
                transport = await GetTransportAsync(Remaining(started, _options.RequestTimeout), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is LogQueueException or ObjectDisposedException)
            {
                LogQueueException notSent = ex as LogQueueException ?? NotSentException();
                foreach ((_, QueuedSend send) in sends)
                {
                    send.Caller.Fail(notSent);
                }

                return;
            }

            bool requeued = false;
            bool wake = false;
            lock (transport.WriteLock)
            {
                // A socket that dropped in the meantime is skipped; the loop waits for the one after it.
                if (!transport.IsClosed)
                {
                    foreach ((string queueName, QueuedSend send) in sends)
                    {
                        if (!transport.QueuedSends.TryGetValue(queueName, out List<QueuedSend>? queued))
                        {
                            queued = [];
                            transport.QueuedSends.Add(queueName, queued);
                        }

                        queued.Add(send);
                        transport.QueuedSendCount++;
                    }

                    // The writer coalesces queued sends at the start of each round: wake it if it sleeps.
                    wake = MarkWriterBusyLocked(transport);
                    requeued = true;
                }
            }

            if (wake)
            {
                transport.WriterWake.Writer.TryWrite(true);
            }

            if (requeued)
            {
                LogUnwrittenSendsRequeued(Name, sends.Count, transport.Generation);
                return;
            }
        }
    }

    private static TimeSpan WithJitter(TimeSpan backoff)
    {
        long half = backoff.Ticks / 2;
        return TimeSpan.FromTicks(half + (long)(Random.Shared.NextDouble() * half));
    }

    private LogQueueException NotSentException() =>
        new(ErrorCode.ConnectionLost, $"The connection to {Name} closed before the request was written; it was not sent.");

    private void SignalStateChanged()
    {
        TaskCompletionSource changed;
        lock (_stateLock)
        {
            changed = _stateChanged;
            _stateChanged = NewSignal();
        }

        changed.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
