using LogQueue.Protocol;
using LogQueue.Protocol.Codec;
using LogQueue.Protocol.Operations;
using Microsoft.Extensions.Logging;

namespace LogQueue.Client.Connections;

/// <summary>
/// One logical connection to the server: a socket that is re-opened (with backoff) whenever it drops, carrying
/// any number of pipelined requests matched to their responses by request id. Split by concern:
/// <list type="bullet">
/// <item><c>.Handshake.cs</c> opens a socket and says Hello;</item>
/// <item><c>.Writer.cs</c> encodes frames under a short lock and has one loop write them, many per write;</item>
/// <item><c>.Batching.cs</c> coalesces concurrent single sends into batch frames (natural batching);</item>
/// <item><c>.Reader.cs</c> cuts response frames off the socket and completes their requests;</item>
/// <item><c>.Reconnect.cs</c> waits for, drops and re-opens the socket;</item>
/// <item><c>.KeepAlive.cs</c> pings an idle connection before the server's idle timeout closes it.</item>
/// </list>
/// </summary>
internal sealed partial class LogQueueConnection : IAsyncDisposable
{
    private readonly LogQueueClientOptions _options;
    private readonly string _host;
    private readonly int _port;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _slots;
    private readonly CancellationTokenSource _disposing = new();

    public LogQueueConnection(LogQueueClientOptions options, int index, ILogger logger, TimeProvider time)
    {
        _options = options;
        (_host, _port) = options.ParseEndpoint();
        Name = $"{_host}:{_port}#{index}";
        _logger = logger;
        _time = time;
        _slots = new SemaphoreSlim(options.MaxPendingRequests, options.MaxPendingRequests);
    }

    /// <summary>The endpoint and the connection's index, for logs and errors.</summary>
    public string Name { get; }

    /// <summary>True while a socket is open and past its handshake.</summary>
    public bool IsConnected => _transport is { IsClosed: false };

    /// <summary>The latest handshake's answer (the server's version and limits); null before the first.</summary>
    public HelloResponse? ServerHello { get; private set; }

    /// <summary>True while the writer is in a write and nothing has queued behind it: what the next send will batch behind.</summary>
    internal bool IsWritingWithNothingQueued
    {
        get
        {
            ConnectionTransport? transport = _transport;
            if (transport is null)
            {
                return false;
            }

            lock (transport.WriteLock)
            {
                return transport.WriterBusy && !transport.IsClosed && transport.Queued.WrittenCount == 0 && transport.QueuedSendCount == 0;
            }
        }
    }

    /// <summary>What the server said on its own on the current socket (it is closing), if anything.</summary>
    internal string? ServerNotice => _transport?.ServerNotice;

    /// <summary>Requests written and not yet answered on the current socket.</summary>
    public int PendingCount => _transport?.Pending.Count ?? 0;

    /// <summary>
    /// Sends one request and waits for its response, for at most <paramref name="timeout"/> counted from now
    /// (waiting for a connection and for a free request slot included).
    /// </summary>
    public async Task<TResponse> RequestAsync<TRequest, TResponse>(TRequest request, TimeSpan timeout, CancellationToken cancellationToken, Action<TResponse>? lateResponse = null)
        where TRequest : IRequest<TRequest, TResponse>
        where TResponse : IPayload<TResponse>
    {
        long started = _time.GetTimestamp();
        await AcquireSlotAsync(timeout, cancellationToken).ConfigureAwait(false);
        try
        {
            ConnectionTransport transport = await GetTransportAsync(Remaining(started, timeout), cancellationToken).ConfigureAwait(false);
            var call = new PendingRequest<TResponse>(lateResponse);
            Enqueue<TRequest, TResponse>(transport, request, call);
            return await AwaitResponseAsync(transport, call, TRequest.Opcode, Remaining(started, timeout), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>Closes the socket; calls still waiting fail with <see cref="ErrorCode.ConnectionLost"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        Task? connectLoop;
        ConnectionTransport? transport;
        lock (_stateLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            connectLoop = _connectLoop;
            transport = _transport;
        }

        await _disposing.CancelAsync().ConfigureAwait(false);
        if (transport is not null)
        {
            await CloseTransportAsync(transport, new ObjectDisposedException("LogQueueClient", "The client was disposed.")).ConfigureAwait(false);

            // The loops hand their pooled buffers back as they stop.
            await transport.Loops.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (connectLoop is not null)
        {
            await connectLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        SignalStateChanged();
        _disposing.Dispose();
    }

    private async Task<TResponse> AwaitResponseAsync<TResponse>(
        ConnectionTransport transport,
        PendingRequest<TResponse> call,
        Opcode opcode,
        TimeSpan timeout,
        CancellationToken cancellationToken)
        where TResponse : IPayload<TResponse>
    {
        try
        {
            return await call.Task.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            Abandon(transport, call);
            throw new LogQueueException(ErrorCode.RequestTimedOut, $"{opcode} got no response from {Name} within {timeout.TotalSeconds:0.###} s.", ex);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !call.Task.IsCompleted)
        {
            Abandon(transport, call);
            throw;
        }
    }

    // A call that stopped waiting leaves the table so its late response is dropped, unless it wants that response
    // (a receive: see PendingRequest.WantsLateResponse). A send inside a coalesced batch has no id of its own: it
    // only marks itself done, and the batch's response skips it.
    private static void Abandon<TResponse>(ConnectionTransport transport, PendingRequest<TResponse> call)
        where TResponse : IPayload<TResponse>
    {
        if (call.HasOwnId && !call.WantsLateResponse)
        {
            (call.Table ?? transport.Pending).Remove(call);
        }

        call.Abandon();
    }

    private async ValueTask AcquireSlotAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_slots.Wait(0, CancellationToken.None))
        {
            return;
        }

        if (!await _slots.WaitAsync(timeout, cancellationToken).ConfigureAwait(false))
        {
            throw new LogQueueException(ErrorCode.RequestTimedOut, $"{_options.MaxPendingRequests} calls were already waiting on {Name} for the whole timeout (MaxPendingRequests).");
        }
    }

    private TimeSpan Remaining(long started, TimeSpan timeout)
    {
        TimeSpan remaining = timeout - _time.GetElapsedTime(started);
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }
}
