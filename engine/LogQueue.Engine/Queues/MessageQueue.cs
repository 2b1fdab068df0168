using LogQueue.Engine.Acks;
using LogQueue.Engine.Log;
using LogQueue.Engine.Queues.Delivery;
using LogQueue.Engine.Queues.Fifo;
using LogQueue.Engine.Queues.Journal;
using LogQueue.Engine.Queues.Receipts;
using LogQueue.Engine.Timers;
using Microsoft.Extensions.Logging;

namespace LogQueue.Engine.Queues;

/// <summary>
/// One queue: its message log, its state journal, and the in-memory delivery state built on them. On a
/// standard queue all delivery state is guarded by one lock per queue; no I/O runs under it (log reads are
/// reads of mapped memory). Sends append to the log outside the lock; receives, deletes and visibility
/// changes decide under the lock and journal outside it. A FIFO queue delivers through message groups in
/// partitions with their own locks instead (MessageQueue.Fifo*.cs, docs/fifo.md).
/// <para>
/// Delivery order on a standard queue: messages that became visible again (visibility timeout, delay elapsed, released)
/// are served first, lowest sequence first, then the cursor walks the log forward. The cursor skips
/// deleted, delayed and in-flight messages, and deletes expired ones as it meets them. Messages that carry
/// a group id are served round-robin across groups instead (MessageQueue.Fairness.cs).
/// </para>
/// </summary>
internal sealed partial class MessageQueue : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly QueueEngine _engine;
    private readonly SegmentedLog _log;
    private readonly QueueStateJournal _journal;
    private readonly HierarchicalTimerWheel _wheel;
    private readonly EngineSecret _secret;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _maxInFlight;
    private readonly bool _deliverOnlyDurable;

    private readonly AckTracker _deleted;
    private readonly Dictionary<long, ReceiveState> _receiveStates;
    private readonly Dictionary<long, InFlightMessage> _inFlight = [];
    private readonly Dictionary<long, DelayedMessage> _delayed = [];
    private readonly HashSet<long> _moving = [];
    private readonly PriorityQueue<long, long> _returned = new();
    private readonly LinkedList<ReceiveWaiter> _waiters = new();
    private long _cursor;
    private long _lastPurgeMs = long.MinValue;
    private bool _closed;

    internal MessageQueue(
        QueueEngine engine,
        string name,
        string directory,
        QueueMetadata metadata,
        SegmentedLog log,
        QueueStateJournal journal,
        QueueState recovered,
        HierarchicalTimerWheel wheel,
        EngineSecret secret,
        TimeProvider time,
        ILogger logger,
        int maxInFlight)
    {
        _engine = engine;
        Name = name;
        Directory = directory;
        Metadata = metadata;
        _log = log;
        _journal = journal;
        _wheel = wheel;
        _secret = secret;
        _time = time;
        _logger = logger;
        _maxInFlight = maxInFlight;
        _deliverOnlyDurable = log.Durability == DurabilityMode.Always;
        _deleted = recovered.Deletes;
        _receiveStates = recovered.Receives;

        // Messages below the log's first sequence were removed with their segment: deleted by definition.
        if (_deleted.Floor < log.FirstSequence)
        {
            _deleted.MarkDeleted(0, log.FirstSequence);
        }

        _cursor = _deleted.Floor;
        Settings = QueueSettings.From(metadata.Attributes);
        if (Settings.Fifo is { } fifo)
        {
            // The cursor, the returned heap and the delayed table stay unused: at the end of the log, the cursor
            // keeps a send from parking delayed messages that the FIFO scan holds back on its own.
            _partitions = CreatePartitions(fifo);
            _scanTimer = new FifoScanTimer(this);
            _scanBatch = new FifoScanBatch(_partitions.Length);
            _cursor = long.MaxValue;
            RecoverFifo();
        }
        else
        {
            ParkStillDelayedMessages();
        }

        _deduplication = OpenDeduplicationWindow();
        _maintenance = new MaintenanceTimer(this);
        ScheduleMaintenance();
    }

    /// <summary>The queue's name.</summary>
    public string Name { get; }

    /// <summary>The queue's directory.</summary>
    public string Directory { get; }

    /// <summary>The queue's persisted metadata (attributes, incarnation, creation time).</summary>
    public QueueMetadata Metadata { get; private set; }

    /// <summary>The delivery settings in force (replaced as a whole when attributes change).</summary>
    public QueueSettings Settings { get; private set; }

    /// <summary>The queue's incarnation id: receipt handles and message ids carry it.</summary>
    public long Incarnation => unchecked((long)Metadata.IncarnationId);

    internal SegmentedLog Log => _log;

    /// <summary>Replaces the metadata after the engine persisted a change of attributes.</summary>
    internal void ApplyMetadata(QueueMetadata metadata)
    {
        FifoThroughputLimit? before;
        lock (_lock)
        {
            before = Settings.Fifo?.FifoThroughputLimit;
            Metadata = metadata;
            Settings = QueueSettings.From(metadata.Attributes);
        }

        // The partitions of a FIFO queue are laid out when it opens (docs/fifo.md §3): order and deduplication are the
        // same in both modes, only how many locks the groups are spread over changes, and that waits for the next open.
        if (metadata.Attributes.Fifo is { } fifo && before is { } old && old != fifo.FifoThroughputLimit)
        {
            LogThroughputLimitAtNextOpen(Name, fifo.FifoThroughputLimit);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue {Queue}: FifoThroughputLimit is now {Limit}; its groups are spread over partitions accordingly from the next open of the queue (a restart)")]
    private partial void LogThroughputLimitAtNextOpen(string queue, FifoThroughputLimit limit);

    public async ValueTask DisposeAsync()
    {
        List<ReceiveWaiter> waiters;
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            waiters = [.. _waiters];
            _waiters.Clear();
            foreach (ReceiveWaiter waiter in waiters)
            {
                // Served: a cancellation registered after this (ReceiveAsync registers outside the lock)
                // must find it gone, not remove it from a list it is no longer in.
                waiter.Node = null;
            }

            foreach (InFlightMessage entry in _inFlight.Values)
            {
                _wheel.Cancel(entry);
            }

            foreach (DelayedMessage entry in _delayed.Values)
            {
                _wheel.Cancel(entry);
            }

            if (_partitions is not null)
            {
                CancelFifoTimersLocked();
            }

            _wheel.Cancel(_maintenance);
        }

        foreach (ReceiveWaiter waiter in waiters)
        {
            _wheel.Cancel(waiter);
            waiter.Cancellation.Dispose();
            waiter.Complete([]);
        }

        await _journal.DisposeAsync().ConfigureAwait(false);
        await _log.DisposeAsync().ConfigureAwait(false);
    }

    private void ThrowIfClosed()
    {
        if (_closed)
        {
            throw new LogQueueException(ErrorCode.QueueDoesNotExist, $"The queue '{Name}' has been deleted or the engine is closing.");
        }
    }

    private long NowUnixMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    // The highest sequence (exclusive) a receive may hand out: in Always mode only what is durable, so a
    // consumer never sees a message that a crash could take back.
    private long DeliverableBound() => _deliverOnlyDurable ? _log.DurableSequence : _log.NextSequence;

    /// <summary>
    /// After a restart a message's delay is known only from its record. Left alone, a message still waiting out
    /// its delay would count as visible until the cursor reached it. Only messages sent within the longest
    /// delay (15 minutes) can still be delayed, and records are appended in send order, so the scan walks back
    /// from the newest record and stops at the first one older than that: bounded by 15 minutes of sends.
    /// </summary>
    private void ParkStillDelayedMessages()
    {
        long now = NowUnixMs();
        long oldestPossible = now - (QueueLimits.MaxDelaySeconds * 1000L);
        lock (_lock)
        {
            for (long sequence = _log.NextSequence - 1; sequence >= _deleted.Floor; sequence--)
            {
                if (_deleted.IsDeleted(sequence))
                {
                    continue;
                }

                if (!TryReadTiming(sequence, out long timestamp, out uint delayMs) || timestamp < oldestPossible)
                {
                    break;
                }

                if (timestamp + delayMs > now)
                {
                    RegisterDelayedLocked(sequence, TimeSpan.FromMilliseconds(timestamp + delayMs - now));
                }
            }
        }
    }

    private bool TryReadTiming(long sequence, out long timestamp, out uint delayMs) =>
        TryReadTiming(sequence, out timestamp, out delayMs, out _);

    // The timing plus the message's stored size: body and encoded attributes block. The block holds at least what
    // SQS counts as attribute size (and any engine attributes), so this is never less than the size a send checked
    // against MaximumMessageSize.
    private bool TryReadTiming(long sequence, out long timestamp, out uint delayMs, out int size)
    {
        (long Timestamp, uint Delay, int Size) read = default;
        bool found = _log.TryRead(
            sequence,
            ref read,
            static (in RecordView record, ref (long Timestamp, uint Delay, int Size) r) => r = (record.Timestamp, record.DelayMilliseconds, record.Body.Length + record.Attributes.Length));
        timestamp = read.Timestamp;
        delayMs = read.Delay;
        size = read.Size;
        return found;
    }
}
