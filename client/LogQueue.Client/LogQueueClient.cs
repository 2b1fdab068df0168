using LogQueue.Client.Connections;
using LogQueue.Protocol;
using LogQueue.Protocol.Codec;
using LogQueue.Protocol.Operations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LogQueue.Client;

/// <summary>
/// The network client: every <see cref="ILogQueueClient"/> call over LogQueue's binary protocol. Thread-safe; make
/// one per process and share it. Calls are pipelined over <see cref="LogQueueClientOptions.ConnectionCount"/>
/// connections, each re-opened with backoff when it drops.
/// <para>
/// Failures: the server's refusals throw <see cref="LogQueueException"/> with its code. A call whose connection
/// drops before the answer throws <see cref="ErrorCode.ConnectionLost"/>: a send or delete may or may not have
/// taken effect, and the client never retries those on its own (retrying a send is at-least-once delivery; that
/// is the caller's choice), except a FIFO send whose every message has a MessageDeduplicationId: the queue's
/// deduplication window makes a repeat harmless, so it is retried once, but only within 4 minutes of the call's
/// start (the window lasts 5), whatever the timeout; after that it throws as any other send. A single send still queued for natural
/// batching, never written, cannot have taken effect: it waits for the next connection instead (within its timeout).
/// Reads (ListQueues, GetQueueAttributes, ListMessageMoveTasks, Ping, Stats) are retried once, within the same
/// timeout. A call that outlives its timeout throws <see cref="ErrorCode.RequestTimedOut"/>.
/// </para>
/// <para>
/// FIFO order: natural batching and reconnects keep the order of sends as they were called, so sends of one
/// message group are stored in the order a caller awaited them (and a batch call's entries in list order). Sends
/// in flight together, not awaited one after the other, have no defined order, as in SQS: they may travel on
/// different connections, and a retried one goes after those that did not need a retry.
/// </para>
/// </summary>
public sealed partial class LogQueueClient : ILogQueueClient
{
    /// <summary>
    /// How long after a deduplicated send's call began it may still be retried; the retry's own timeout ends there
    /// too. The server remembers a deduplication id for 5 minutes from when it stored the first attempt (the
    /// engine's DeduplicationWindow.Length; docs/protocol.md, "FIFO sends"), which is no earlier than the call
    /// began: a retry that arrives later is stored as a second copy. The minute left over covers a retry written
    /// just before this limit and still in the network or the server's buffers. The client does not reference the
    /// engine for remote use, so the protocol's number is repeated here; change both together.
    /// </summary>
    internal static readonly TimeSpan DeduplicatedRetryLimit = TimeSpan.FromMinutes(4);

    private readonly LogQueueClientOptions _options;
    private readonly LogQueueConnection[] _connections;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private int _nextConnection;
    private int _disposed;

    /// <summary>
    /// Creates a client that connects on its first call (and keeps reconnecting when connections drop). Use
    /// <see cref="ConnectAsync(LogQueueClientOptions, ILoggerFactory?, CancellationToken)"/> to fail fast on a
    /// wrong endpoint or credentials instead.
    /// </summary>
    public LogQueueClient(IOptions<LogQueueClientOptions> options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _options.Validate();
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger<LogQueueClient>();
        _time = timeProvider ?? TimeProvider.System;
        ILogger connectionLogger = loggerFactory.CreateLogger("LogQueue.Client.Connection");
        _connections = new LogQueueConnection[_options.ConnectionCount];
        for (int i = 0; i < _connections.Length; i++)
        {
            _connections[i] = new LogQueueConnection(_options, i, connectionLogger, _time);
        }
    }

    /// <summary>The options in force.</summary>
    public LogQueueClientOptions Options => _options;

    /// <summary>The server's answer to the latest handshake (its version and limits); null before the first connection.</summary>
    public HelloResponse? ServerInfo
    {
        get
        {
            foreach (LogQueueConnection connection in _connections)
            {
                if (connection.ServerHello is { } hello)
                {
                    return hello;
                }
            }

            return null;
        }
    }

    /// <summary>True when at least one connection is open.</summary>
    public bool IsConnected => _connections.Any(c => c.IsConnected);

    /// <summary>The connections, for tests that watch the writer.</summary>
    internal IReadOnlyList<LogQueueConnection> Connections => _connections;

    /// <summary>Creates a client and opens its connections now; throws what the first attempt met (refused, AuthenticationFailed...).</summary>
    public static Task<LogQueueClient> ConnectAsync(LogQueueClientOptions options, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default) =>
        ConnectAsync(options, loggerFactory, timeProvider: null, cancellationToken);

    /// <summary>Creates a client on a given clock and opens its connections now.</summary>
    public static async Task<LogQueueClient> ConnectAsync(LogQueueClientOptions options, ILoggerFactory? loggerFactory, TimeProvider? timeProvider, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var client = new LogQueueClient(Microsoft.Extensions.Options.Options.Create(options), loggerFactory, timeProvider);
        try
        {
            foreach (LogQueueConnection connection in client._connections)
            {
                await connection.ConnectAsync(cancellationToken).ConfigureAwait(false);
            }

            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public QueueClient GetQueue(string queueName) => new(this, queueName);

    /// <summary>Closes every connection; calls still waiting fail with <see cref="ErrorCode.ConnectionLost"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (LogQueueConnection connection in _connections)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One request on the next connection; an idempotent one is retried once when its connection drops, a
    /// <paramref name="deduplicated"/> send (idempotent too) only within <see cref="DeduplicatedRetryLimit"/>.
    /// </summary>
    private async Task<TResponse> CallAsync<TRequest, TResponse>(
        TRequest request,
        bool idempotent,
        CancellationToken cancellationToken,
        TimeSpan extraWait = default,
        Action<TResponse>? lateResponse = null,
        bool deduplicated = false)
        where TRequest : IRequest<TRequest, TResponse>
        where TResponse : IPayload<TResponse>
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        TimeSpan timeout = _options.RequestTimeout + extraWait;
        TimeSpan retryWithin = deduplicated ? DeduplicatedRetryDeadline(timeout) : timeout;
        long started = _time.GetTimestamp();
        try
        {
            return await NextConnection().RequestAsync(request, timeout, cancellationToken, lateResponse).ConfigureAwait(false);
        }
        catch (LogQueueException ex) when (idempotent && CanRetry(ex, started, retryWithin))
        {
            LogRetryingRead(TRequest.Opcode, ex.Message);
            return await NextConnection().RequestAsync<TRequest, TResponse>(request, retryWithin - _time.GetElapsedTime(started), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>By when, counted from a deduplicated send's start, its retry must have started and ended: its timeout, or the window's safe part if shorter.</summary>
    private static TimeSpan DeduplicatedRetryDeadline(TimeSpan timeout) =>
        timeout < DeduplicatedRetryLimit ? timeout : DeduplicatedRetryLimit;

    /// <summary>True when a call that failed with <paramref name="exception"/> may go once more: its connection dropped, and time is left.</summary>
    private bool CanRetry(LogQueueException exception, long started, TimeSpan timeout) =>
        exception.Code == ErrorCode.ConnectionLost && _time.GetElapsedTime(started) < timeout && _disposed == 0;

    /// <summary>Round robin over the connections, preferring open ones.</summary>
    private LogQueueConnection NextConnection()
    {
        if (_connections.Length == 1)
        {
            return _connections[0];
        }

        int start = (int)((uint)Interlocked.Increment(ref _nextConnection) % (uint)_connections.Length);
        for (int i = 0; i < _connections.Length; i++)
        {
            LogQueueConnection candidate = _connections[(start + i) % _connections.Length];
            if (candidate.IsConnected)
            {
                return candidate;
            }
        }

        return _connections[start];
    }

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "Handing back {Count} messages of {Queue} that arrived after their receive was cancelled or timed out")]
    private partial void LogReleasingLateMessages(int count, string queue);

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "Could not hand back late messages of {Queue}; they become visible when their visibility timeout ends: {Reason}")]
    private partial void LogLateReleaseFailed(string queue, string reason);

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Retrying {Opcode} once after its connection dropped: {Reason}")]
    private partial void LogRetryingRead(Opcode opcode, string reason);

    [LoggerMessage(EventId = 23, Level = LogLevel.Information, Message = "Retrying {Opcode} once after its connection dropped; its deduplication id makes a repeat harmless: {Reason}")]
    private partial void LogRetryingDeduplicatedSend(Opcode opcode, string reason);
}
