using LogQueue.Engine;
using LogQueue.Engine.Queues;
using LogQueue.Server.Hosting;
using LogQueue.Server.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LogQueue.Server.Queues;

/// <summary>
/// Owns the server's one <see cref="QueueEngine"/>: opens it on the locked data directory before anything
/// listens, hands it to the protocol handler and the HTTP endpoints (<see cref="Engine"/>), and flushes and
/// closes it at shutdown.
/// </summary>
/// <remarks>
/// Shutdown order relies on the host: it stops hosted services in reverse order of registration and registers
/// Kestrel's service after every service of ours, so <see cref="StopAsync"/> runs once Kestrel has stopped
/// accepting and has finished (or, after the shutdown timeout, aborted) its connections; nothing can still be
/// writing. <see cref="ServerLifecycle"/> releases the data directory lock after that, in its StoppedAsync.
/// <see cref="ServerHost"/> calls <see cref="OpenAsync"/> itself, before the host starts, so that a failure to open
/// becomes one log line and <see cref="ExitCodes.StorageUnavailable"/>; <see cref="StartAsync"/> then finds the engine open.
/// </remarks>
internal sealed partial class QueueEngineHost(
    IOptions<ServerOptions> options,
    DataDirectory dataDirectory,
    ILoggerFactory loggerFactory,
    ILogger<QueueEngineHost> logger) : IHostedService, IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private QueueEngine? _engine;
    private volatile bool _open;

    /// <summary>
    /// The open engine. Throws before <see cref="OpenAsync"/> has succeeded; after shutdown it is the closed
    /// engine, whose calls fail with <see cref="ErrorCode.Closed"/> (a protocol error a client understands).
    /// </summary>
    public QueueEngine Engine => Volatile.Read(ref _engine)
        ?? throw new InvalidOperationException("The queue engine is not open yet: it opens after the data directory is locked and before the server listens.");

    /// <summary>True from a successful open until shutdown begins closing the engine.</summary>
    public bool IsOpen => _open;

    /// <summary>True when closing the engine failed (its final flush, for instance); the server then exits with a failure code.</summary>
    public bool CloseFailed { get; private set; }

    /// <summary>
    /// Opens the engine on the (already locked) data directory; idempotent. Throws
    /// <see cref="QueueEngineUnavailableException"/> naming the reason when the storage cannot be opened.
    /// </summary>
    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_engine is not null)
            {
                return;
            }

            if (!dataDirectory.IsOpen)
            {
                throw new InvalidOperationException($"The data directory '{dataDirectory.FullPath}' must be locked before the queue engine opens.");
            }

            QueueEngineOptions engineOptions = options.Value.ToEngineOptions(dataDirectory.FullPath);
            QueueEngine engine;
            try
            {
                engine = await QueueEngine.OpenAsync(Options.Create(engineOptions), loggerFactory, TimeProvider.System, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Whatever the engine met (a LogQueueException for corrupt data, an IOException for a file where a
                // folder belongs, a permission error), it is about the stored data, not a bug of the server.
                throw new QueueEngineUnavailableException(Describe(ex), ex, ex is LogQueueException { Code: ErrorCode.StorageInUse });
            }

            Volatile.Write(ref _engine, engine);
            _open = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => OpenAsync(cancellationToken);

    /// <summary>Flushes and closes the engine. Never throws: a failure is logged and <see cref="CloseFailed"/> set, so the lock is still released.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => CloseAsync();

    /// <summary>
    /// Closes the engine if start-up failed after it opened (the host never stopped). Idempotent: the container
    /// calls it twice, once for this singleton and once for its hosted-service registration. The semaphore is
    /// left to the collector for the same reason; it never allocated a wait handle.
    /// </summary>
    public async ValueTask DisposeAsync() => await CloseAsync().ConfigureAwait(false);

    private async Task CloseAsync()
    {
        // Not cancellable on purpose: the final flush must finish even after the host's shutdown timeout, or
        // messages acknowledged under interval or none durability would be lost.
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            _open = false;
            if (_engine is null)
            {
                return;
            }

            try
            {
                await _engine.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is LogQueueException or IOException or UnauthorizedAccessException)
            {
                CloseFailed = true;
                LogCloseFailed(logger, dataDirectory.FullPath, ex);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private string Describe(Exception ex) =>
        $"The queue engine cannot open its storage in data directory '{dataDirectory.FullPath}': {ex.Message}";

    [LoggerMessage(EventId = 200, Level = LogLevel.Critical, Message = "Closing the queue engine in {DataDirectory} failed; messages acknowledged without a flush (durability interval or none) may be lost")]
    private static partial void LogCloseFailed(ILogger logger, string dataDirectory, Exception exception);
}
