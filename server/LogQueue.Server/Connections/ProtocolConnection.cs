using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using LogQueue.Protocol;
using LogQueue.Server.Dispatch;
using LogQueue.Server.Hosting;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Logging;

namespace LogQueue.Server.Connections;

/// <summary>
/// One binary protocol connection: the handshake, a read loop that cuts frames off the socket's buffers and
/// dispatches them, requests that complete out of order, and a writer loop (<see cref="OutboundFrames"/>).
/// </summary>
/// <remarks>
/// <para>The read loop works in batches, as Garnet's sessions do: every whole frame in the bytes one read returned
/// is dispatched, then the writer is woken once, so a client that pipelines a hundred requests in one write gets
/// their answers in (about) one write too. Requests that may wait (sends wait for an fsync, receives may long-poll)
/// run on their own and answer when done, tagged with their request id; the loop reads on meanwhile.</para>
/// <para>Memory is bounded per connection: the loop stops reading while more than <see cref="OutboundBudget"/> bytes
/// of responses wait for a slow client, while <see cref="MaxPendingRequests"/> requests are running, or while their
/// copied payloads exceed the pending-bytes budget. Kestrel then stops reading the socket (its read buffer is capped
/// a little over one frame), and TCP pushes back on the client.</para>
/// <para>The connection ends when the client closes, on a framing or handshake error (after answering it), on the
/// idle or handshake timeout, and at shutdown. In every case long polls are cancelled (they answer empty), running
/// requests are waited for and answered, the answers are flushed, and only then is the socket closed.</para>
/// </remarks>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "RunAsync disposes them as the connection ends; no one else may, since a request that outlives an aborted connection can still touch them.")]
internal sealed partial class ProtocolConnection
{
    /// <summary>Responses the client has not read yet beyond which the read loop pauses.</summary>
    public const long OutboundBudget = 4 << 20;

    /// <summary>Running requests beyond which the read loop pauses.</summary>
    public const int MaxPendingRequests = 4096;

    // How long the end of a connection waits for running requests and for the client to take the last responses.
    // Long polls are cancelled first, so only a stuck engine call or a client that stopped reading takes this long.
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private readonly ConnectionContext _connection;
    private readonly PipeReader _input;
    private readonly OutboundFrames _outbound;
    private readonly RequestDispatcher _dispatcher;
    private readonly ConnectionRegistry _registry;
    private readonly ServerOptions _options;
    private readonly byte[]? _authTokenHash;
    private readonly CancellationToken _serverStopping;
    private readonly ILogger _logger;
    private readonly string _remote;
    private readonly long _pendingBytesBudget;

    // Cancelled when the connection stops reading: shutdown, timeout. Wakes the read loop out of ReadAsync and out
    // of a back-pressure wait.
    private readonly CancellationTokenSource _stopReading = new();

    // Cancelled when the connection ends: long polls return empty at once.
    private readonly CancellationTokenSource _requestsCancellation = new();

    private StopReason _stopReason;
    private long _requests;

    public ProtocolConnection(
        ConnectionContext connection,
        RequestDispatcher dispatcher,
        ConnectionRegistry registry,
        ServerOptions options,
        byte[]? authTokenHash,
        ILogger logger,
        CancellationToken serverStopping)
    {
        _connection = connection;
        _input = connection.Transport.Input;
        _outbound = new OutboundFrames(connection.Transport.Output, options.MaxFrameLength);
        _outbound.OnDrained(SignalProgress);
        _dispatcher = dispatcher;
        _registry = registry;
        _options = options;
        _authTokenHash = authTokenHash;
        _serverStopping = serverStopping;
        _logger = logger;
        _remote = connection.RemoteEndPoint?.ToString() ?? "(unknown)";
        _pendingBytesBudget = Math.Max(32L << 20, 2L * options.MaxFrameLength);
        _lastActivity = Environment.TickCount64;
    }

    private enum StopReason
    {
        None,
        ServerStopping,
        TimedOut,
    }

    /// <summary>Serves the connection until it ends; never throws.</summary>
    public async Task RunAsync()
    {
        ConnectionLog.Opened(_logger, _connection.ConnectionId, _remote);
        Task writer = _outbound.RunAsync();
        CancellationToken closeRequested = _connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested ?? CancellationToken.None;
        using CancellationTokenRegistration onStopping = _serverStopping.UnsafeRegister(static s => ((ProtocolConnection)s!).StopReading(StopReason.ServerStopping), this);
        using CancellationTokenRegistration onCloseRequested = closeRequested.UnsafeRegister(static s => ((ProtocolConnection)s!).StopReading(StopReason.ServerStopping), this);
        StartTimer();
        try
        {
            await ReadLoopAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ConnectionResetException or ConnectionAbortedException or OperationCanceledException)
        {
            // The client went away mid-read, or Kestrel aborted the connection; there is nobody to answer.
        }
        catch (Exception ex)
        {
            ConnectionLog.ConnectionFailed(_logger, _remote, ex);
        }
        finally
        {
            await FinishAsync(writer).ConfigureAwait(false);
            ConnectionLog.Closed(_logger, _connection.ConnectionId, _remote, _requests);
        }
    }

    private void StopReading(StopReason reason)
    {
        lock (_progressLock)
        {
            if (_stopReason == StopReason.None)
            {
                _stopReason = reason;
            }
        }

        try
        {
            _stopReading.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The connection already ended.
        }
    }

    private async Task FinishAsync(Task writer)
    {
        DisposeTimer();
        await _requestsCancellation.CancelAsync().ConfigureAwait(false);

        using (var drain = new CancellationTokenSource(DrainTimeout))
        {
            if (!await WaitUntilAsync(static c => c.PendingRequests == 0, drain.Token).ConfigureAwait(false))
            {
                ConnectionLog.AbandonedAtShutdown(_logger, _remote, PendingRequests, DrainTimeout.TotalSeconds);
            }
        }

        if (_stopReason == StopReason.ServerStopping)
        {
            // Request id 0: a notice from the server, not an answer. Requests the loop had not read yet get none.
            _outbound.WriteError(0, 0, ErrorCode.ShuttingDown, "The server is shutting down; reconnect once it is back.");
        }

        _outbound.Complete();
        if (await Task.WhenAny(writer, Task.Delay(DrainTimeout, CancellationToken.None)).ConfigureAwait(false) != writer)
        {
            // The client stopped reading: its last responses cannot be delivered. Aborting ends the writer's flush.
            ConnectionLog.AbandonedAtShutdown(_logger, _remote, PendingRequests, DrainTimeout.TotalSeconds);
            _connection.Abort(new ConnectionAbortedException("The client did not read its responses."));
            if (await Task.WhenAny(writer, Task.Delay(DrainTimeout, CancellationToken.None)).ConfigureAwait(false) != writer)
            {
                return; // Leave the buffers to the collector rather than free them under a live writer.
            }
        }

        // A request abandoned above may still finish later: it finds the outbound frames failed and writes nothing,
        // and its cancellation token must stay usable.
        _outbound.Dispose();
        if (PendingRequests == 0)
        {
            _requestsCancellation.Dispose();
        }
    }
}
