using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;

namespace LogQueue.Server.Storage;

/// <summary>
/// The server's data directory: created if missing, locked for the life of the process
/// (<see cref="DataDirectoryLock"/>), and checked for writability at open and on every readiness probe.
/// Queues will keep their segment logs under it.
/// </summary>
internal sealed partial class DataDirectory : IDisposable
{
    private const string ProbeFilePrefix = ".write-probe-";

    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private DataDirectoryLock? _lock;
    private bool _disposed;
    private int _lastProbeFailed; // 0 or 1; readiness logs on a change, not on every probe

    public DataDirectory(string path, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(logger);
        FullPath = Path.GetFullPath(path);
        _logger = logger;
    }

    /// <summary>The directory's full path; a relative configured path is resolved against the working directory.</summary>
    public string FullPath { get; }

    /// <summary>True between a successful <see cref="Open"/> and <see cref="Close"/>: this process holds the lock.</summary>
    public bool IsOpen
    {
        get
        {
            lock (_gate)
            {
                return _lock is not null;
            }
        }
    }

    /// <summary>
    /// Creates the directory if missing, takes its lock and checks that a file can be written in it.
    /// Throws <see cref="DataDirectoryUnavailableException"/> naming the directory and the reason.
    /// </summary>
    public void Open()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_lock is not null)
            {
                return;
            }

            try
            {
                Directory.CreateDirectory(FullPath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new DataDirectoryUnavailableException($"Cannot create data directory '{FullPath}': {ex.Message}", ex);
            }

            DataDirectoryLock acquired = DataDirectoryLock.Acquire(FullPath);
            if (!TryWriteProbe(out string? problem))
            {
                acquired.Dispose();
                throw new DataDirectoryUnavailableException(problem);
            }

            _lock = acquired;
        }

        LogLocked(_logger, FullPath);
    }

    /// <summary>
    /// Readiness: the directory is open, locked by this process, and a file can be created and written in it
    /// right now (catches a read-only remount or a permission change after start-up).
    /// </summary>
    public bool IsReady([NotNullWhen(false)] out string? problem)
    {
        if (!IsOpen)
        {
            problem = $"data directory '{FullPath}' is not open";
            return false;
        }

        bool ready = TryWriteProbe(out problem);
        int failed = ready ? 0 : 1;
        if (Interlocked.Exchange(ref _lastProbeFailed, failed) != failed)
        {
            if (ready)
            {
                LogWritableAgain(_logger, FullPath);
            }
            else
            {
                LogNotWritable(_logger, problem!);
            }
        }

        return ready;
    }

    /// <summary>Releases the lock so another server can open the directory. Idempotent.</summary>
    public void Close()
    {
        DataDirectoryLock? released;
        lock (_gate)
        {
            released = _lock;
            _lock = null;
        }

        if (released is not null)
        {
            released.Dispose();
            LogReleased(_logger, FullPath);
        }
    }

    public void Dispose()
    {
        Close();
        lock (_gate)
        {
            _disposed = true;
        }
    }

    private bool TryWriteProbe([NotNullWhen(false)] out string? problem)
    {
        // A unique name per probe: concurrent readiness requests must not trip over each other's file.
        string probe = Path.Combine(FullPath, ProbeFilePrefix + Guid.NewGuid().ToString("N"));
        try
        {
            using var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.DeleteOnClose);
            stream.WriteByte(0);
            problem = null;
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = $"data directory '{FullPath}' is not writable: {ex.Message}";
            return false;
        }
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "Locked data directory {DataDirectory}")]
    private static partial void LogLocked(ILogger logger, string dataDirectory);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Released the lock on data directory {DataDirectory}")]
    private static partial void LogReleased(ILogger logger, string dataDirectory);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Not ready: {Problem}")]
    private static partial void LogNotWritable(ILogger logger, string problem);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Ready again: data directory {DataDirectory} is writable")]
    private static partial void LogWritableAgain(ILogger logger, string dataDirectory);
}
