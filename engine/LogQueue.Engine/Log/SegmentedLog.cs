using LogQueue.Engine.IO;
using LogQueue.Engine.Recovery;
using Microsoft.Win32.SafeHandles;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LogQueue.Engine.Log;

/// <summary>
/// An append-only log of records with dense sequence numbers, stored in preallocated segment files named
/// by their base sequence, written with pwrite and read through memory mappings. Only the newest segment
/// is written; older ones are sealed.
/// <para>
/// Concurrency: appends (single or batch) serialise on one lock that covers assigning sequences, encoding
/// the records and copying them into the page cache (pwrite); a batch gets consecutive sequences. No
/// disk I/O runs under that lock except at a segment roll (once per segment): the fdatasync of the segment
/// being sealed and the rename of a preallocated spare. Flushes run on a background loop outside the lock.
/// Reads take no lock: they see every record whose append has returned (or whose sequence is below
/// <see cref="NextSequence"/>) and hold a reference on the segment while they look at its bytes.
/// </para>
/// </summary>
public sealed partial class SegmentedLog : IAsyncDisposable
{
    private readonly Lock _appendLock = new();
    private readonly string _directory;
    private readonly SegmentedLogOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SegmentAllocator _allocator;
    private readonly SafeFileHandle _directoryLock;
    private LogSegment[] _segments;
    private LogSegment _active;
    private long _nextSequence;
    private long _retiredFiles;
    private bool _closed;

    /// <summary>The name of the file locked for the life of an open log.</summary>
    public const string LockFileName = "LOCK";

    private SegmentedLog(
        string directory,
        SegmentedLogOptions options,
        ILogger logger,
        TimeProvider time,
        SegmentAllocator allocator,
        SafeFileHandle directoryLock,
        List<LogSegment> segments,
        long nextSequence)
    {
        _directory = directory;
        _options = options;
        _logger = logger;
        _time = time;
        _allocator = allocator;
        _directoryLock = directoryLock;
        _segments = [.. segments];
        _active = _segments[^1];
        _nextSequence = nextSequence;
        _durableSequence = nextSequence;
        _waitForFlush = options.Durability == DurabilityMode.Always;
        _allocator.Start();
        StartCommitLoops();
    }

    /// <summary>The directory that holds the segment files.</summary>
    public string Directory => _directory;

    /// <summary>The durability mode appends follow.</summary>
    public DurabilityMode Durability => _options.Durability;

    /// <summary>The oldest sequence still stored (records below it were removed).</summary>
    public long FirstSequence
    {
        get
        {
            LogSegment[] segments = Volatile.Read(ref _segments);
            if (segments.Length == 0)
            {
                ThrowIfClosed();
            }

            return segments[0].BaseSequence;
        }
    }

    /// <summary>The sequence the next appended record will get; every sequence below it is readable.</summary>
    public long NextSequence => Volatile.Read(ref _nextSequence);

    /// <summary>Every sequence below this one has been flushed to disk.</summary>
    public long DurableSequence => Volatile.Read(ref _durableSequence);

    /// <summary>The number of live segment files.</summary>
    public int SegmentCount => Volatile.Read(ref _segments).Length;

    /// <summary>
    /// Opens (or creates) the log in <paramref name="directory"/>: rebuilds the index by scanning every
    /// segment, verifies the CRC of each record in the newest segment (of every segment with
    /// <see cref="SegmentedLogOptions.VerifyAllSegments"/>), and truncates a torn or corrupt tail at the
    /// last good record, logging what was cut.
    /// </summary>
    /// <exception cref="LogCorruptionException">A sealed segment holds a bad record and the policy is <see cref="SealedSegmentCorruptionPolicy.Fail"/>.</exception>
    public static SegmentedLog Open(
        string directory,
        SegmentedLogOptions? options = null,
        ILogger? logger = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        options ??= new SegmentedLogOptions();
        options.Validate();
        logger ??= NullLogger.Instance;
        timeProvider ??= TimeProvider.System;
        directory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));

        SafeFileHandle directoryLock = LockDirectory(directory);
        var allocator = new SegmentAllocator(directory, options.SegmentCapacity, options.SpareSegments, options.RecycleSegments, logger);
        try
        {
            List<LogSegment> segments = LogRecovery.Recover(directory, options, allocator, logger, timeProvider, out long nextSequence);
            var log = new SegmentedLog(directory, options, logger, timeProvider, allocator, directoryLock, segments, nextSequence);
            log.LogOpened(directory, segments.Count, log.FirstSequence, nextSequence, options.Durability);
            return log;
        }
        catch
        {
            allocator.ReleaseUnstarted();
            directoryLock.Dispose();
            throw;
        }
    }

    // Creates the directory durably if it is new, and takes an exclusive lock on its LOCK file (flock on
    // Unix) for the life of the log: two logs writing one directory would destroy each other's records.
    private static SafeFileHandle LockDirectory(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            System.IO.Directory.CreateDirectory(directory);
            NativeFile.SyncDirectory(Path.GetDirectoryName(directory) ?? directory);
        }

        string lockPath = Path.Combine(directory, LockFileName);
        try
        {
            return File.OpenHandle(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new LogQueueException(ErrorCode.StorageInUse, $"The log directory '{directory}' is already open (its {LockFileName} file is locked by another process or log instance).", ex);
        }
    }

    /// <summary>
    /// Flushes what was written (in every durability mode), stops the background loops and unmaps the
    /// segments once no reader holds them. Appends still waiting for a flush complete with it.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        lock (_appendLock)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
        }

        await StopCommitLoopsAsync().ConfigureAwait(false);
        FlushPending();
        await _allocator.DisposeAsync().ConfigureAwait(false);

        LogSegment[] segments;
        lock (_appendLock)
        {
            segments = _segments;
            _segments = [];
        }

        foreach (LogSegment segment in segments)
        {
            segment.Retire(null);
        }

        _directoryLock.Dispose();
        LogClosed(_directory, _nextSequence);
    }

    private void ThrowIfClosed()
    {
        if (_closed)
        {
            throw new LogQueueException(ErrorCode.Closed, $"The log in '{_directory}' is closed.");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Opened log {Directory}: {Segments} segment(s), sequences [{First}, {Next}), durability {Durability}")]
    private partial void LogOpened(string directory, int segments, long first, long next, DurabilityMode durability);

    [LoggerMessage(Level = LogLevel.Information, Message = "Closed log {Directory} at sequence {Next}")]
    private partial void LogClosed(string directory, long next);
}
