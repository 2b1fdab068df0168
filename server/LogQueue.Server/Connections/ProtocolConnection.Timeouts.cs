namespace LogQueue.Server.Connections;

internal sealed partial class ProtocolConnection
{
    // Environment.TickCount64 of the last whole frame read or request answered. Bytes that do not complete a frame
    // do not count: a client trickling one byte a minute is as idle as a silent one.
    private long _lastActivity;
    private ITimer? _timer;

    /// <summary>Arms the handshake timeout; the handshake switches it to the idle timeout (<see cref="OnHandshakeDone"/>).</summary>
    private void StartTimer()
    {
        if (_options.HandshakeTimeoutMs > 0)
        {
            _timer = TimeProvider.System.CreateTimer(
                static state => ((ProtocolConnection)state!).OnTimer(),
                this,
                TimeSpan.FromMilliseconds(_options.HandshakeTimeoutMs),
                Timeout.InfiniteTimeSpan);
        }
    }

    private void OnHandshakeDone()
    {
        if (_options.IdleTimeoutMs > 0)
        {
            _timer ??= TimeProvider.System.CreateTimer(static state => ((ProtocolConnection)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            Arm(_options.IdleTimeoutMs);
        }
        else
        {
            DisposeTimer();
        }
    }

    private void OnTimer()
    {
        long limit = _handshakeDone ? _options.IdleTimeoutMs : _options.HandshakeTimeoutMs;
        if (limit <= 0)
        {
            return;
        }

        long quiet = Environment.TickCount64 - Volatile.Read(ref _lastActivity);
        if (!_handshakeDone || (quiet >= limit && PendingRequests == 0))
        {
            // Before the handshake the timer runs once, from the connection's start: the Hello is late.
            StopReading(StopReason.TimedOut);
            return;
        }

        // Activity since the timer was armed, or a request still running (a long poll is not idleness): look again
        // when the connection could next be idle for the whole limit.
        Arm(quiet >= limit ? limit : limit - quiet);
    }

    private void Arm(long milliseconds)
    {
        try
        {
            _timer?.Change(TimeSpan.FromMilliseconds(milliseconds), Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // The connection ended meanwhile.
        }
    }

    private void DisposeTimer()
    {
        ITimer? timer = Interlocked.Exchange(ref _timer, null);
        timer?.Dispose();
    }
}
