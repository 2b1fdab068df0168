using LogQueue.Engine.Log;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LogQueue.Engine.Queues.Journal;

/// <summary>
/// A queue's state journal: every delete and every receive-count change of the queue, appended under the
/// queue's durability mode to a <see cref="SegmentedLog"/> of its own (one record per append call), so
/// that after any restart deleted messages stay deleted and receive counts survive. Now and then the queue
/// writes a checkpoint of its whole state; the journal records it covers are then removed.
/// <para>
/// Life of a journal directory (the queue passes <c>&lt;queueDir&gt;/state</c>):
/// <code>
/// LOCK                           held while open (by the journal's log)
/// 00000000000000000000.seg ...   journal segments (1 MiB each by default), each record a batch of entries
/// checkpoint.bin                 the last checkpoint: the state as of journal position P
/// checkpoint.bin.tmp             a checkpoint being written; deleted if found at open
/// </code>
/// Open = load <c>checkpoint.bin</c> (state S at position P, or empty state at 0), then apply every journal
/// record from P to the end. A checkpoint is written only after every record below P is durable, and the
/// segments wholly below P are removed only after the checkpoint is durable, so a crash at any point
/// leaves a checkpoint and the journal records it needs.
/// </para>
/// <para>
/// The queue's side of the contract: apply each change to its state (a <see cref="QueueState"/> or its
/// own tables) no later than it appends the change here, and capture snapshots under the lock that guards
/// that state (<see cref="CaptureSnapshot(QueueState)"/>). Replay does not depend on entry order (see
/// <see cref="QueueState"/>), so appends may complete outside the queue's lock.
/// </para>
/// </summary>
public sealed partial class QueueStateJournal : IAsyncDisposable
{
    /// <summary>The checkpoint file's name in the journal directory.</summary>
    public const string CheckpointFileName = "checkpoint.bin";

    /// <summary>The name a checkpoint is written under before it is renamed into place.</summary>
    public const string CheckpointTemporaryFileName = "checkpoint.bin.tmp";

    private readonly SegmentedLog _log;
    private readonly string _directory;
    private readonly QueueStateJournalOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _checkpointGate = new(1, 1);
    private long _entriesAppended;
    private long _bytesAppended;
    private long _entriesAtCheckpoint;
    private long _bytesAtCheckpoint;
    private long _checkpointPosition;
    private long _checkpointLength;
    private int _disposed;

    private QueueStateJournal(
        SegmentedLog log,
        QueueStateJournalOptions options,
        ILogger logger,
        TimeProvider time,
        long checkpointPosition,
        long checkpointLength,
        long replayedEntries,
        long replayedBytes)
    {
        _log = log;
        _directory = log.Directory;
        _options = options;
        _logger = logger;
        _time = time;
        _checkpointPosition = checkpointPosition;
        _checkpointLength = checkpointLength;

        // What replay had to read counts as appended since the checkpoint: a long journal gets checkpointed soon.
        _entriesAppended = replayedEntries;
        _bytesAppended = replayedBytes;
    }

    /// <summary>The journal directory.</summary>
    public string Directory => _directory;

    /// <summary>The durability mode appends follow.</summary>
    public DurabilityMode Durability => _options.Durability;

    /// <summary>The journal position the next append gets; every entry appended so far lies below it.</summary>
    public long Position => _log.NextSequence;

    /// <summary>Every journal record below this position is on disk.</summary>
    public long DurablePosition => _log.DurableSequence;

    /// <summary>The position the last checkpoint covers (0 when there is none).</summary>
    public long CheckpointPosition => Volatile.Read(ref _checkpointPosition);

    /// <summary>Live journal segment files.</summary>
    public int SegmentCount => _log.SegmentCount;

    /// <summary>Entries appended (or replayed at open) since the last checkpoint was captured.</summary>
    public long EntriesSinceCheckpoint => Volatile.Read(ref _entriesAppended) - Volatile.Read(ref _entriesAtCheckpoint);

    /// <summary>Encoded bytes appended (or replayed at open) since the last checkpoint was captured.</summary>
    public long BytesSinceCheckpoint => Volatile.Read(ref _bytesAppended) - Volatile.Read(ref _bytesAtCheckpoint);

    /// <summary>
    /// True when enough was appended since the last checkpoint that the queue should write one: at least
    /// <see cref="QueueStateJournalOptions.CheckpointEntryThreshold"/> entries, or at least
    /// <see cref="QueueStateJournalOptions.CheckpointByteThreshold"/> bytes and at least the size of the last
    /// checkpoint file. The queue runs one checkpoint at a time.
    /// </summary>
    public bool ShouldCheckpoint =>
        EntriesSinceCheckpoint >= _options.CheckpointEntryThreshold
        || BytesSinceCheckpoint >= Math.Max(_options.CheckpointByteThreshold, Volatile.Read(ref _checkpointLength));

    /// <summary>
    /// Opens (or creates) the journal in <paramref name="directory"/> and recovers the queue's state: loads the
    /// checkpoint if there is one, then replays every journal record after it. A torn journal tail (a crash
    /// mid-append) is truncated by the log's recovery: only appends that were never acknowledged are lost.
    /// </summary>
    /// <param name="directory">The journal directory; created if missing.</param>
    /// <param name="state">The recovered state, owned by the caller from now on.</param>
    /// <param name="options">Settings; defaults if null.</param>
    /// <param name="logger">Where recovery and checkpoints are reported.</param>
    /// <param name="timeProvider">The clock for record timestamps and checkpoint creation times.</param>
    /// <exception cref="LogQueueException">
    /// <see cref="ErrorCode.StorageCorrupt"/>: the checkpoint fails verification, a journal record does not
    /// decode (an unknown entry tag included), or journal records the checkpoint relies on are missing;
    /// <see cref="ErrorCode.StorageInUse"/>: the journal is open elsewhere.
    /// </exception>
    public static QueueStateJournal Open(
        string directory,
        out QueueState state,
        QueueStateJournalOptions? options = null,
        ILogger? logger = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        options ??= new QueueStateJournalOptions();
        options.Validate();
        logger ??= NullLogger.Instance;
        timeProvider ??= TimeProvider.System;

        // The log takes the directory's lock before anything here reads or deletes a file.
        SegmentedLog log = SegmentedLog.Open(directory, options.ToLogOptions(), logger, timeProvider);
        try
        {
            directory = log.Directory;
            string temporary = Path.Combine(directory, CheckpointTemporaryFileName);
            if (File.Exists(temporary))
            {
                // A checkpoint write that never reached its rename: the previous checkpoint is still in force.
                File.Delete(temporary);
                LogDeletedTemporary(logger, temporary);
            }

            string checkpointPath = Path.Combine(directory, CheckpointFileName);
            long position = 0;
            long checkpointLength = 0;
            bool hasCheckpoint = File.Exists(checkpointPath);
            QueueState recovered = hasCheckpoint
                ? CheckpointFile.Read(checkpointPath, out position, out checkpointLength)
                : new QueueState();

            if (log.FirstSequence > position)
            {
                string covered = hasCheckpoint ? $"the checkpoint '{checkpointPath}' covers only records below {position}" : $"there is no checkpoint ('{checkpointPath}' is missing)";
                throw new LogQueueException(ErrorCode.StorageCorrupt, $"Corrupt state journal '{directory}': the journal starts at record {log.FirstSequence}, but {covered}; the records in between are missing.");
            }

            if (log.NextSequence < position)
            {
                throw new LogQueueException(ErrorCode.StorageCorrupt, $"Corrupt state journal '{directory}': the journal ends before record {log.NextSequence}, but the checkpoint '{checkpointPath}' covers records up to {position}; records the checkpoint was written after are missing.");
            }

            var replay = new JournalReplay(recovered, directory);
            log.ReadRange(position, int.MaxValue, ref replay, static (in RecordView record, ref JournalReplay replay) => replay.Apply(in record));

            var journal = new QueueStateJournal(log, options, logger, timeProvider, position, checkpointLength, replay.Entries, replay.Bytes);
            journal.LogOpened(directory, hasCheckpoint ? position : -1, replay.Records, replay.Entries, recovered.Deletes.Floor, recovered.Receives.Count);
            state = recovered;
            return journal;
        }
        catch
        {
            // Closing an open log is quick (a final flush of nothing); Open is synchronous like SegmentedLog.Open.
            log.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>Flushes every append (in every durability mode), waits for a running checkpoint, and closes the journal.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _checkpointGate.WaitAsync().ConfigureAwait(false);
        try
        {
            await _log.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _checkpointGate.Release();
        }
    }

    private void ThrowIfDisposed()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            throw new LogQueueException(ErrorCode.Closed, $"The state journal in '{_directory}' is closed.");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Opened state journal {Directory}: checkpoint position {CheckpointPosition} (-1: none), replayed {Records} record(s) with {Entries} entries; floor {Floor}, {Received} received message(s)")]
    private partial void LogOpened(string directory, long checkpointPosition, long records, long entries, long floor, int received);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleted {Path}, left by a checkpoint write that did not finish; the previous checkpoint stays in force")]
    private static partial void LogDeletedTemporary(ILogger logger, string path);
}
