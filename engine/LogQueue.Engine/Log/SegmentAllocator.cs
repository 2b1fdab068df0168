using LogQueue.Engine.IO;
using Microsoft.Extensions.Logging;

namespace LogQueue.Engine.Log;

/// <summary>
/// Keeps zero-filled, mapped spare segments ready so that a roll under the append lock is a header write
/// and a rename, never a 64 MiB write. Retired segments are recycled into spares (their blocks are
/// already allocated) or deleted when enough spares exist. All file work runs on one background loop.
/// </summary>
internal sealed partial class SegmentAllocator : IAsyncDisposable
{
    private readonly string _directory;
    private readonly long _capacity;
    private readonly int _spareTarget;
    private readonly bool _recycle;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Queue<LogSegment> _ready = new();
    private readonly Queue<string> _retired = new();
    private readonly SemaphoreSlim _work = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource _readyChanged = NewSignal();
    private int _wanted;
    private long _fileNumber;
    private Task _loop = Task.CompletedTask;
    private bool _disposed;

    public SegmentAllocator(string directory, long capacity, int spareTarget, bool recycle, ILogger logger)
    {
        _directory = directory;
        _capacity = capacity;
        _spareTarget = spareTarget;
        _recycle = recycle;
        _logger = logger;
        _wanted = spareTarget;
    }

    /// <summary>Spares ready to take now.</summary>
    public int ReadyCount
    {
        get
        {
            lock (_lock)
            {
                return _ready.Count;
            }
        }
    }

    /// <summary>Starts preparing spares in the background.</summary>
    public void Start()
    {
        _loop = Task.Run(RunAsync);
        _work.Release();
    }

    /// <summary>Creates a spare on the calling thread (used while opening a log, before the loop runs).</summary>
    public LogSegment CreateNow()
    {
        lock (_lock)
        {
            if (_ready.TryDequeue(out LogSegment? adopted))
            {
                return adopted;
            }
        }

        return Prepare(retired: null);
    }

    /// <summary>
    /// Takes over a complete spare left by an earlier run (recovery calls this before the loop starts).
    /// Returns false, adopting nothing, when enough spares are ready already.
    /// </summary>
    public bool Adopt(string sparePath)
    {
        if (SegmentFileNames.TryParseSpare(sparePath, out long number))
        {
            long seen = Volatile.Read(ref _fileNumber);
            while (number > seen && Interlocked.CompareExchange(ref _fileNumber, number, seen) != seen)
            {
                seen = Volatile.Read(ref _fileNumber);
            }
        }

        lock (_lock)
        {
            if (_ready.Count >= _spareTarget)
            {
                return false;
            }
        }

        LogSegment spare = LogSegment.Open(sparePath, -1);

        // A spare gets its name only once zero-filled and durable, and records are written only after it is
        // renamed into a segment; a spare with bytes where records go was not made by this code: refuse it.
        ReadOnlySpan<byte> records = spare.Bytes[SegmentHeader.Size..(int)Math.Min(spare.Capacity, 1 << 20)];
        if (records.IndexOfAnyExcept((byte)0) >= 0)
        {
            spare.Retire(null);
            return false;
        }

        lock (_lock)
        {
            _ready.Enqueue(spare);
        }

        return true;
    }

    /// <summary>Takes a ready spare without waiting.</summary>
    public bool TryTake(out LogSegment spare)
    {
        lock (_lock)
        {
            if (!_ready.TryDequeue(out spare!))
            {
                return false;
            }
        }

        _work.Release();
        return true;
    }

    /// <summary>Completes once at least <paramref name="count"/> spares are ready.</summary>
    public async Task WaitForReadyAsync(int count, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_disposed)
                {
                    throw new LogQueueException(ErrorCode.Closed, $"The log in '{_directory}' is closed.");
                }

                if (_ready.Count >= count)
                {
                    return;
                }

                _wanted = Math.Max(_wanted, count);
                changed = _readyChanged.Task;
            }

            _work.Release();
            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Hands over a retired segment's file (unmapped, closed) for reuse or deletion.</summary>
    public void Recycle(string retiredPath)
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                _retired.Enqueue(retiredPath);
                _work.Release();
                return;
            }
        }

        TryDelete(retiredPath);
    }

    /// <summary>Unmaps adopted spares when opening failed before <see cref="Start"/>; the files stay for the next open.</summary>
    public void ReleaseUnstarted()
    {
        lock (_lock)
        {
            _disposed = true;
            foreach (LogSegment spare in _ready)
            {
                spare.Retire(null);
            }

            _ready.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The loop ends by cancellation.
        }

        // Ready spares stay on disk for the next open; retired files would be deleted by it anyway.
        foreach (LogSegment spare in _ready)
        {
            spare.Retire(null);
        }

        foreach (string retired in _retired)
        {
            TryDelete(retired);
        }

        _ready.Clear();
        _retired.Clear();
        _readyChanged.TrySetException(new LogQueueException(ErrorCode.Closed, $"The log in '{_directory}' is closed."));
        _stopping.Dispose();
        _work.Dispose();
    }

    private async Task RunAsync()
    {
        while (true)
        {
            await _work.WaitAsync(_stopping.Token).ConfigureAwait(false);
            try
            {
                PrepareWanted();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogPreparationFailed(ex, _directory);
                TaskCompletionSource failed;
                lock (_lock)
                {
                    failed = _readyChanged;
                    _readyChanged = NewSignal();
                }

                failed.TrySetException(new LogQueueException(ErrorCode.StorageFailure, $"Could not prepare a segment file in '{_directory}': {ex.Message}", ex));
            }
        }
    }

    private void PrepareWanted()
    {
        while (!_stopping.IsCancellationRequested)
        {
            string? retired;
            bool needSpare;
            lock (_lock)
            {
                needSpare = _ready.Count < _wanted;
                retired = _retired.TryDequeue(out string? path) ? path : null;
                if (!needSpare && retired is null)
                {
                    _wanted = _spareTarget;
                    return;
                }
            }

            if (retired is not null && (!needSpare || !_recycle))
            {
                TryDelete(retired);
                continue;
            }

            LogSegment spare = Prepare(retired);
            TaskCompletionSource changed;
            lock (_lock)
            {
                if (_disposed)
                {
                    spare.Retire(s => TryDelete(s.Path));
                    return;
                }

                _ready.Enqueue(spare);
                changed = _readyChanged;
                _readyChanged = NewSignal();
            }

            changed.TrySetResult();
        }
    }

    private long NextFileNumber() => Interlocked.Increment(ref _fileNumber);

    // Zero-fills a new file (or a retired one, whose blocks are already allocated) under a "preparing"
    // name, and only once it is complete and durable gives it the spare name that recovery keeps.
    private LogSegment Prepare(string? retired)
    {
        string preparing = SegmentFileNames.Preparing(_directory, NextFileNumber());
        if (retired is not null)
        {
            File.Move(retired, preparing);
        }

        LogSegment spare = LogSegment.CreateSpare(preparing, _capacity);
        try
        {
            spare.MoveTo(SegmentFileNames.Spare(_directory, NextFileNumber()));
            NativeFile.SyncDirectory(_directory);
            return spare;
        }
        catch
        {
            spare.Retire(s => TryDelete(s.Path));
            throw;
        }
    }

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogDeleteFailed(ex, path);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not prepare a spare segment in {Directory}")]
    private partial void LogPreparationFailed(Exception exception, string directory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete {Path}")]
    private partial void LogDeleteFailed(Exception exception, string path);
}
