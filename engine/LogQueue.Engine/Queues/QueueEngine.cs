using LogQueue.Engine.Log;
using LogQueue.Engine.Queues.Journal;
using LogQueue.Engine.Queues.Receipts;
using LogQueue.Engine.Timers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Win32.SafeHandles;

namespace LogQueue.Engine.Queues;

/// <summary>
/// The queue engine: a data directory holding a catalog of queues with Amazon SQS semantics, usable
/// in-process with no server. Thread-safe; open one per data directory (the directory is locked).
/// <para>
/// Layout: <c>engine.secret</c> (the receipt-handle key), <c>LOCK</c>, and <c>queues/&lt;name&gt;/</c> with
/// <c>queue.json</c> (attributes), <c>log/</c> (the message log) and <c>state/</c> (the delete and receive
/// journal). A queue exists once its <c>queue.json</c> does; a deleted queue's directory is renamed into
/// <c>deleted/</c> first, then removed.
/// </para>
/// </summary>
public sealed partial class QueueEngine : IAsyncDisposable
{
    private const string QueuesFolder = "queues";
    private const string DeletedFolder = "deleted";

    private readonly QueueEngineOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly HierarchicalTimerWheel _wheel;
    private readonly EngineSecret _secret;
    private readonly SafeFileHandle _lock;
    private readonly SemaphoreSlim _catalogLock = new(1, 1);
    private readonly Dictionary<string, MessageQueue> _queues = new(StringComparer.Ordinal);
    private volatile bool _closed;

    private QueueEngine(QueueEngineOptions options, ILoggerFactory loggerFactory, TimeProvider time, EngineSecret secret, SafeFileHandle directoryLock)
    {
        _options = options;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<QueueEngine>();
        _time = time;
        _secret = secret;
        _lock = directoryLock;
        _wheel = new HierarchicalTimerWheel(time, logger: _logger);
    }

    /// <summary>The full path of the data directory.</summary>
    public string DataDirectory => _options.DataDirectory;

    /// <summary>The engine's options.</summary>
    public QueueEngineOptions Options => _options;

    /// <summary>
    /// Opens (or creates) the data directory and every queue in it. Messages that were in flight when the
    /// engine last stopped are visible again; deleted messages stay deleted; receive counts are kept.
    /// </summary>
    public static async Task<QueueEngine> OpenAsync(
        IOptions<QueueEngineOptions> options,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        QueueEngineOptions settings = options.Value;
        settings.Validate();
        settings.DataDirectory = Path.GetFullPath(settings.DataDirectory);
        loggerFactory ??= NullLoggerFactory.Instance;
        timeProvider ??= TimeProvider.System;

        Directory.CreateDirectory(Path.Combine(settings.DataDirectory, QueuesFolder));
        SafeFileHandle directoryLock = LockDataDirectory(settings.DataDirectory);
        QueueEngine? engine = null;
        try
        {
            EngineSecret secret = EngineSecret.LoadOrCreate(settings.DataDirectory);
            engine = new QueueEngine(settings, loggerFactory, timeProvider, secret, directoryLock);
            engine.RemoveDeletedQueues();
            foreach (string directory in Directory.EnumerateDirectories(Path.Combine(settings.DataDirectory, QueuesFolder)))
            {
                cancellationToken.ThrowIfCancellationRequested();
                await engine.OpenQueueAsync(directory).ConfigureAwait(false);
            }

            engine.LogOpened(settings.DataDirectory, engine._queues.Count, settings.Durability);
            return engine;
        }
        catch
        {
            if (engine is not null)
            {
                await engine.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                directoryLock.Dispose();
            }

            throw;
        }
    }

    /// <summary>Closes every queue (flushing their logs and journals) and releases the data directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        await StopMoveTasksAsync().ConfigureAwait(false);
        await _catalogLock.WaitAsync().ConfigureAwait(false);
        try
        {
            foreach (MessageQueue queue in _queues.Values)
            {
                await queue.DisposeAsync().ConfigureAwait(false);
            }

            _queues.Clear();
        }
        finally
        {
            _catalogLock.Release();
        }

        _wheel.Dispose();
        _lock.Dispose();
        LogClosed(_options.DataDirectory);
    }

    internal MessageQueue? FindQueue(string name)
    {
        lock (_queues)
        {
            return _queues.GetValueOrDefault(name);
        }
    }

    private MessageQueue GetQueue(string name)
    {
        ThrowIfClosed();
        ArgumentNullException.ThrowIfNull(name);
        return FindQueue(name) ?? throw new LogQueueException(ErrorCode.QueueDoesNotExist, $"The queue '{name}' does not exist.");
    }

    private void ThrowIfClosed()
    {
        if (_closed)
        {
            throw new LogQueueException(ErrorCode.Closed, "The queue engine is closed.");
        }
    }

    private static SafeFileHandle LockDataDirectory(string directory)
    {
        string path = Path.Combine(directory, SegmentedLog.LockFileName);
        try
        {
            return File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new LogQueueException(ErrorCode.StorageInUse, $"The data directory '{directory}' is already in use by another LogQueue engine.", ex);
        }
    }

    private async Task OpenQueueAsync(string directory)
    {
        string name = Path.GetFileName(directory);
        QueueMetadata? metadata = QueueMetadata.TryLoad(directory);
        if (metadata is null)
        {
            // No queue.json: a creation that never finished. Nothing in it was ever acknowledged.
            LogDroppedIncompleteQueue(directory);
            Directory.Delete(directory, recursive: true);
            return;
        }

        MessageQueue queue = await OpenQueueAsync(name, directory, metadata).ConfigureAwait(false);
        lock (_queues)
        {
            _queues.Add(name, queue);
        }
    }

    private async Task<MessageQueue> OpenQueueAsync(string name, string directory, QueueMetadata metadata)
    {
        ILogger queueLogger = _loggerFactory.CreateLogger<MessageQueue>();
        SegmentedLog log = SegmentedLog.Open(Path.Combine(directory, "log"), _options.LogOptions(), queueLogger, _time);
        try
        {
            var journalOptions = new QueueStateJournalOptions { Durability = _options.Durability, FlushInterval = _options.FlushInterval };
            QueueStateJournal journal = QueueStateJournal.Open(Path.Combine(directory, "state"), out QueueState state, journalOptions, queueLogger, _time);
            try
            {
                await QueueStateReconciliation.ReconcileAsync(name, log, journal, state, queueLogger, CancellationToken.None).ConfigureAwait(false);
                return new MessageQueue(this, name, directory, metadata, log, journal, state, _wheel, _secret, _time, queueLogger, _options.MaxInFlightPerQueue);
            }
            catch
            {
                await journal.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        catch
        {
            await log.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private void RemoveDeletedQueues()
    {
        string deleted = Path.Combine(_options.DataDirectory, DeletedFolder);
        if (Directory.Exists(deleted))
        {
            Directory.Delete(deleted, recursive: true);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue engine opened {DataDirectory}: {Queues} queue(s), durability {Durability}")]
    private partial void LogOpened(string dataDirectory, int queues, DurabilityMode durability);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue engine closed {DataDirectory}")]
    private partial void LogClosed(string dataDirectory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removed {Directory}: a queue whose creation never finished")]
    private partial void LogDroppedIncompleteQueue(string directory);
}
