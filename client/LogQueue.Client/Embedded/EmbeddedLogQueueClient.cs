using LogQueue.Engine.Queues;
using LogQueue.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using EngineException = LogQueue.Engine.LogQueueException;

namespace LogQueue.Client;

/// <summary>
/// <see cref="ILogQueueClient"/> in-process: the queue engine over a data directory, no server and no sockets.
/// Answers as the server would (same error codes, same batch rules), so code written against it moves to
/// <see cref="LogQueueClient"/> unchanged. The data directory is locked while the client is open: one process
/// at a time, and not while a server has it.
/// </summary>
public sealed partial class EmbeddedLogQueueClient : ILogQueueClient
{
    private readonly IOptions<QueueEngineOptions> _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _openGate = new(1, 1);
    private readonly long _createdTimestamp;
    private volatile QueueEngine? _engine;
    private long _requestsServed;
    private bool _disposed;

    /// <summary>Creates a client that opens the data directory on its first call.</summary>
    public EmbeddedLogQueueClient(IOptions<QueueEngineOptions> options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _createdTimestamp = _time.GetTimestamp();
    }

    /// <summary>Opens (or creates) the data directory now; throws what the engine met (StorageInUse, say).</summary>
    public static async Task<EmbeddedLogQueueClient> OpenAsync(IOptions<QueueEngineOptions> options, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        var client = new EmbeddedLogQueueClient(options, loggerFactory);
        await client.GetEngineAsync(cancellationToken).ConfigureAwait(false);
        return client;
    }

    /// <summary>Opens (or creates) <paramref name="dataDirectory"/> with the engine's default settings.</summary>
    public static Task<EmbeddedLogQueueClient> OpenAsync(string dataDirectory, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        return OpenAsync(Options.Create(new QueueEngineOptions { DataDirectory = dataDirectory }), loggerFactory, cancellationToken);
    }

    /// <inheritdoc />
    public QueueClient GetQueue(string queueName) => new(this, queueName);

    /// <summary>Closes the engine, flushing every queue, and releases the data directory.</summary>
    public async ValueTask DisposeAsync()
    {
        await _openGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_engine is { } engine)
            {
                await engine.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _openGate.Release();
        }
    }

    private ValueTask<QueueEngine> GetEngineAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requestsServed);
        QueueEngine? engine = _engine;
        return engine is not null && !_disposed ? new ValueTask<QueueEngine>(engine) : OpenEngineAsync(cancellationToken);
    }

    private async ValueTask<QueueEngine> OpenEngineAsync(CancellationToken cancellationToken)
    {
        await _openGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _engine ??= await QueueEngine.OpenAsync(_options, _loggerFactory, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (EngineException ex)
        {
            throw Embedded.EngineMapping.ToClientException(ex);
        }
        finally
        {
            _openGate.Release();
        }
    }

    private static LogQueueException Translate(EngineException exception) => Embedded.EngineMapping.ToClientException(exception);

    private TimeSpan Uptime => _time.GetElapsedTime(_createdTimestamp);
}
