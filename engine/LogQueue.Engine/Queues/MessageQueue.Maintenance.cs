using LogQueue.Engine.Log;
using LogQueue.Engine.Queues.Deduplication;
using LogQueue.Engine.Queues.Delivery;
using LogQueue.Engine.Queues.Journal;
using LogQueue.Engine.Timers;
using Microsoft.Extensions.Logging;

namespace LogQueue.Engine.Queues;

internal sealed partial class MessageQueue
{
    // How often a queue deletes expired messages at its head, reclaims space and checkpoints its journal.
    private static readonly TimeSpan MaintenancePeriod = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromSeconds(60);

    private readonly MaintenanceTimer _maintenance;
    private int _maintenanceRunning;

    /// <summary>Approximate message counts, for queue attributes.</summary>
    public QueueCounts GetCounts()
    {
        if (_partitions is not null)
        {
            return GetFifoCounts();
        }

        lock (_lock)
        {
            long stored = _log.NextSequence - _deleted.Floor - _deleted.DeletedAboveFloor;
            long notVisible = _inFlight.Count + _moving.Count;
            long delayed = _delayed.Count;
            long oldestAge = 0;
            long oldest = _deleted.NextUndeleted(_deleted.Floor);
            if (oldest < _log.NextSequence && TryReadTiming(oldest, out long timestamp, out _))
            {
                oldestAge = Math.Max(0, NowUnixMs() - timestamp) / 1000;
            }

            return new QueueCounts(Math.Max(0, stored - notVisible - delayed), notVisible, delayed, oldestAge);
        }
    }

    /// <summary>Deletes every message sent before the call. At most one purge per 60 seconds.</summary>
    public async ValueTask PurgeAsync(CancellationToken cancellationToken)
    {
        long floor;
        long upTo;
        lock (_lock)
        {
            ThrowIfClosed();
            long now = _wheel.NowMilliseconds;
            if (_lastPurgeMs != long.MinValue && now - _lastPurgeMs < (long)PurgeInterval.TotalMilliseconds)
            {
                throw new LogQueueException(ErrorCode.PurgeQueueInProgress, $"The queue '{Name}' was purged less than 60 seconds ago.");
            }

            _lastPurgeMs = now;
            floor = _deleted.Floor;
            upTo = _log.NextSequence;
            if (_partitions is not null)
            {
                PurgeFifoLocked(upTo);
            }

            foreach (InFlightMessage entry in _inFlight.Values)
            {
                _wheel.Cancel(entry);
            }

            foreach (DelayedMessage entry in _delayed.Values)
            {
                _wheel.Cancel(entry);
            }

            _inFlight.Clear();
            _delayed.Clear();
            _returned.Clear();
            _groups.Clear();
            _receiveStates.Clear();
            _deleted.MarkDeleted(floor, upTo);
            _cursor = Math.Max(_cursor, upTo);
        }

        if (upTo > floor)
        {
            // An empty range is no journal entry: purging an empty queue has nothing to record.
            await _journal.AppendAsync(new[] { JournalEntry.Deleted(floor, upTo) }, cancellationToken).ConfigureAwait(false);
            ReclaimSpace(upTo);
        }

        LogPurged(Name, upTo - floor);
    }

    // Removes log segments that hold only deleted messages. On a FIFO queue, also only those that hold no send of the
    // last five minutes: the deduplication window is rebuilt from those records on open, and a duplicate is checked
    // against its original's record, so they stay while the window needs them, deleted, expired or purged.
    private void ReclaimSpace(long floor)
    {
        try
        {
            if (_deduplication is not null)
            {
                _deduplication.Expire();
                long windowStart = NowUnixMs() - (long)DeduplicationWindow.Length.TotalMilliseconds;
                floor = Math.Min(floor, _log.FirstSegmentAppendedSince(windowStart, DeduplicationWindow.NotSends));
            }

            _log.RemoveSegmentsBefore(floor);
        }
        catch (LogQueueException ex) when (ex.Code == ErrorCode.Closed)
        {
            // The queue is closing; the next open reclaims.
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The deletes are already durable in the journal; only the space waits (the next open at worst).
            LogReclaimFailed(ex, Name);
        }
    }

    private void ExpireLocked(long sequence)
    {
        DeleteLocked(sequence);
        _expiredPending.Add(JournalEntry.Deleted(sequence, sequence + 1));
    }

    private readonly List<JournalEntry> _expiredPending = [];

    private void ScheduleMaintenance()
    {
        if (!_wheel.TrySchedule(_maintenance, MaintenancePeriod))
        {
            throw new InvalidOperationException("The maintenance period is shorter than a timer tick.");
        }
    }

    /// <summary>
    /// The periodic housekeeping, run off the wheel's thread: expire messages at the head of the queue that
    /// outlived the retention period (messages further in are expired when the cursor meets them), journal
    /// expiries, reclaim whole segments, and checkpoint the journal when it has grown.
    /// </summary>
    private async Task RunMaintenanceAsync()
    {
        if (Interlocked.Exchange(ref _maintenanceRunning, 1) == 1)
        {
            return;
        }

        try
        {
            JournalEntry[] expired;
            long floor;
            lock (_lock)
            {
                if (_closed)
                {
                    return;
                }

                QueueSettings settings = Settings;
                long now = NowUnixMs();
                long limit = now - (long)settings.RetentionPeriod.TotalMilliseconds;
                long bound = _partitions is null ? _log.NextSequence : _deleted.Floor; // FIFO: the groups hold the messages.
                if (_partitions is not null)
                {
                    ExpireFifoHeadsLocked(limit);
                }

                for (long sequence = _deleted.Floor; sequence < bound; sequence = _deleted.NextUndeleted(sequence + 1))
                {
                    if (!TryReadTiming(sequence, out long timestamp, out _) || timestamp > limit)
                    {
                        break;
                    }

                    ExpireLocked(sequence);
                }

                expired = [.. _expiredPending];
                _expiredPending.Clear();
                floor = _deleted.Floor;
            }

            if (expired.Length > 0)
            {
                await _journal.AppendAsync(expired, CancellationToken.None).ConfigureAwait(false);
                LogExpired(Name, expired.Length);
            }

            ReclaimSpace(floor);
            if (_journal.ShouldCheckpoint)
            {
                await CheckpointAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is LogQueueException or IOException)
        {
            LogMaintenanceFailed(ex, Name);
        }
        finally
        {
            Volatile.Write(ref _maintenanceRunning, 0);
            lock (_lock)
            {
                if (!_closed)
                {
                    ScheduleMaintenance();
                }
            }
        }
    }

    private async Task CheckpointAsync()
    {
        QueueStateSnapshot snapshot;
        lock (_lock)
        {
            snapshot = _partitions is null ? _journal.CaptureSnapshot(_deleted, _receiveStates) : CaptureFifoSnapshotLocked();
        }

        using (snapshot)
        {
            await _journal.WriteCheckpointAsync(snapshot, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private sealed class MaintenanceTimer(MessageQueue queue) : TimerEntry
    {
        protected internal override void OnExpired() => _ = Task.Run(queue.RunMaintenanceAsync);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue}: removing consumed log segments failed; their space is reclaimed later (at the latest by the next open)")]
    private partial void LogReclaimFailed(Exception exception, string queue);

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged queue {Queue}: {Count} message(s)")]
    private partial void LogPurged(string queue, long count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Queue {Queue}: {Count} message(s) passed the retention period")]
    private partial void LogExpired(string queue, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Housekeeping of queue {Queue} failed; it runs again shortly")]
    private partial void LogMaintenanceFailed(Exception exception, string queue);
}
