using System.Diagnostics;
using LogQueue.Engine.IO;
using Microsoft.Extensions.Logging;

namespace LogQueue.Engine.Log;

/// <summary>
/// Group commit. One background loop flushes; an append that must wait takes the "next flush" task under
/// the append lock, right after writing. The loop swaps that task for a fresh one under the same lock and
/// snapshots what has been written, so a flush covers exactly the appends that took its task, and every
/// append that arrives while a flush runs shares the following one.
/// <code>
/// appender A: write seq 7, take T1, wake loop ─┐
/// appender B: write seq 8, take T1             │ loop: swap T1→T2, snapshot next=9, fdatasync … complete T1
/// appender C: write seq 9 (during fdatasync), take T2, wake loop ─→ next round covers seq 9 alone or with others
/// </code>
/// </summary>
public sealed partial class SegmentedLog
{
    private readonly SemaphoreSlim _flushRequested = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<LogSegment> _dirtySegments = [];
    private readonly bool _waitForFlush;
    private TaskCompletionSource _nextFlush = NewFlushSignal();
    private bool _flushIsRequested;
    private bool _directoryDirty;
    private long _durableSequence;
    private Exception? _failure;
    private Task _commitLoop = Task.CompletedTask;

    // Gathering: appenders released by one flush need a moment (a thread-pool turn) to append again. A
    // loop that flushed as soon as the first of them asked would leave the rest for the flush after, and
    // settle at half the appenders per flush. So before flushing, the loop yields while fewer appends
    // wait than the last flush carried, for at most the last flush's duration. (Half of it was too short
    // once each append became a pwrite: 64 appends of ~2 µs under the append lock outlast half of a
    // 300 µs flush, the flush left with ~50 and the target ratcheted down to that.)
    private static readonly TimeSpan MaxGather = TimeSpan.FromMilliseconds(1);
    private int _waitingOnNextFlush;
    private int _lastFlushWaiters;
    private TimeSpan _lastFlushDuration;
    private Task _intervalLoop = Task.CompletedTask;

    /// <summary>Flushes everything written so far, in any durability mode, and completes when it is durable.</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        bool wake = false;
        Task flushed;
        lock (_appendLock)
        {
            ThrowIfUnwritable();
            flushed = RequestFlushLocked(ref wake);
        }

        if (wake)
        {
            _flushRequested.Release();
        }

        return flushed.WaitAsync(cancellationToken);
    }

    /// <summary>Completes once every sequence up to and including <paramref name="sequence"/> is durable.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sequence"/> has not been appended.</exception>
    public Task WaitForDurableAsync(long sequence, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(sequence, NextSequence);
        return sequence < Volatile.Read(ref _durableSequence) ? Task.CompletedTask : FlushAsync(cancellationToken);
    }

    private static TaskCompletionSource NewFlushSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Task RequestFlushLocked(ref bool wakeCommitter)
    {
        if (!_flushIsRequested)
        {
            _flushIsRequested = true;
            wakeCommitter = true;
        }

        _waitingOnNextFlush++;
        return _nextFlush.Task;
    }

    private void MarkDirtyLocked(LogSegment segment)
    {
        if (!segment.Dirty)
        {
            segment.Dirty = true;
            _dirtySegments.Add(segment);
        }
    }

    private LogQueueException FailLocked(Exception cause, string what)
    {
        _failure ??= cause;
        LogStorageFailure(cause, what, _directory);
        return new LogQueueException(ErrorCode.StorageFailure, $"{what} in '{_directory}': {cause.Message}", cause);
    }

    private void StartCommitLoops()
    {
        _commitLoop = Task.Run(RunCommitLoopAsync);
        if (_options.Durability == DurabilityMode.Interval)
        {
            _intervalLoop = Task.Run(RunIntervalLoopAsync);
        }
    }

    private async Task StopCommitLoopsAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_commitLoop, _intervalLoop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Both loops end by cancellation.
        }

        _stopping.Dispose();
    }

    private async Task RunCommitLoopAsync()
    {
        while (true)
        {
            await _flushRequested.WaitAsync(_stopping.Token).ConfigureAwait(false);
            long gatherStart = Stopwatch.GetTimestamp();
            TimeSpan gatherLimit = _lastFlushDuration < MaxGather ? _lastFlushDuration : MaxGather;
            while (Volatile.Read(ref _waitingOnNextFlush) < _lastFlushWaiters && Stopwatch.GetElapsedTime(gatherStart) < gatherLimit)
            {
                await Task.Yield();
            }

            FlushPending();
        }
    }

    private async Task RunIntervalLoopAsync()
    {
        using var timer = new PeriodicTimer(_options.FlushInterval, _time);
        while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
        {
            bool wake = false;
            lock (_appendLock)
            {
                if (_dirtySegments.Count > 0 && _failure is null)
                {
                    _ = RequestFlushLocked(ref wake);
                }
            }

            if (wake)
            {
                _flushRequested.Release();
            }
        }
    }

    // Runs on the commit loop only (or on dispose after the loop stopped): flushes never overlap.
    private void FlushPending()
    {
        TaskCompletionSource done;
        long covered;
        bool syncDirectory;
        LogSegment[] toSync;
        lock (_appendLock)
        {
            done = _nextFlush;
            _nextFlush = NewFlushSignal();
            _flushIsRequested = false;
            _lastFlushWaiters = _waitingOnNextFlush;
            _waitingOnNextFlush = 0;
            covered = _nextSequence;
            syncDirectory = _directoryDirty;
            _directoryDirty = false;
            toSync = _dirtySegments.Count == 0 ? [] : [.. _dirtySegments];
            foreach (LogSegment segment in _dirtySegments)
            {
                segment.Dirty = false;
            }

            _dirtySegments.Clear();
            if (_failure is not null)
            {
                done.TrySetException(new LogQueueException(ErrorCode.StorageFailure, $"The log in '{_directory}' failed earlier: {_failure.Message}", _failure));
                return;
            }
        }

        long flushStart = Stopwatch.GetTimestamp();
        try
        {
            if (syncDirectory)
            {
                NativeFile.SyncDirectory(_directory);
            }

            foreach (LogSegment segment in toSync)
            {
                // A segment removed since the snapshot needs no flush: its records are gone on purpose.
                if (segment.TryAcquire())
                {
                    try
                    {
                        segment.SyncData();
                    }
                    finally
                    {
                        segment.Release();
                    }
                }
            }

            Volatile.Write(ref _durableSequence, covered);
            _lastFlushDuration = Stopwatch.GetElapsedTime(flushStart);
            done.TrySetResult();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogQueueException failure;
            lock (_appendLock)
            {
                failure = FailLocked(ex, "Flush failed");
            }

            done.TrySetException(failure);
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "{What} in log {Directory}; the log refuses writes until reopened")]
    private partial void LogStorageFailure(Exception exception, string what, string directory);
}
