using System.Buffers;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace LogQueue.Engine.Log;

public sealed partial class SegmentedLog
{
    // Batches up to this many records measure their lengths on the stack; larger ones rent an array.
    private const int StackMeasureLimit = 256;

    // Records are encoded into a rented buffer of at most this size (or one record, if larger) and written
    // to the segment file with one pwrite per buffer (docs/storage.md §7): 64 KiB keeps the buffer out of
    // the large-object heap and makes the syscall's cost per byte negligible.
    private const int MaxStagingBytes = 64 << 10;

    /// <summary>
    /// Appends one record without waiting: it is readable when this returns true, and durable once
    /// <see cref="DurableSequence"/> passes it (or after <see cref="WaitForDurableAsync"/>). Returns false,
    /// having written nothing, only when the record needs a new segment and no preallocated spare is ready
    /// yet; <see cref="AppendAsync"/> waits for one instead.
    /// </summary>
    /// <exception cref="LogQueueException">The record breaks a limit, or the log is closed or failed.</exception>
    public bool TryAppend(in AppendRecord record, out long sequence)
    {
        int length = RecordFormat.Measure(in record, _options.MaxRecordSize);
        return AppendCore(new ReadOnlySpan<AppendRecord>(in record), new ReadOnlySpan<int>(in length), false, out sequence, out _) == 0;
    }

    /// <summary>
    /// Appends a batch with consecutive sequences, without waiting (see <see cref="TryAppend(in AppendRecord, out long)"/>).
    /// Readers and the acknowledgement see every record of the batch or none; after a crash, a batch that
    /// was never acknowledged may survive in part (a prefix). An empty batch appends nothing and reports
    /// <see cref="NextSequence"/>.
    /// </summary>
    public bool TryAppend(ReadOnlySpan<AppendRecord> records, out long firstSequence)
    {
        int[]? rented = null;
        Span<int> lengths = records.Length <= StackMeasureLimit
            ? stackalloc int[records.Length]
            : (rented = ArrayPool<int>.Shared.Rent(records.Length)).AsSpan(0, records.Length);
        try
        {
            Measure(records, lengths);
            return AppendCore(records, lengths, false, out firstSequence, out _) == 0;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<int>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Appends one record and completes when it counts as done under the log's durability mode: in
    /// <see cref="DurabilityMode.Always"/> after the group-commit flush that covers it, otherwise at once.
    /// Cancellation stops the wait, not the append: a cancelled record may still be stored.
    /// </summary>
    /// <returns>The record's sequence.</returns>
    public ValueTask<long> AppendAsync(AppendRecord record, CancellationToken cancellationToken = default)
    {
        int length = RecordFormat.Measure(in record, _options.MaxRecordSize);
        int sparesNeeded = AppendCore(new ReadOnlySpan<AppendRecord>(in record), new ReadOnlySpan<int>(in length), _waitForFlush, out long sequence, out Task? flushed);
        if (sparesNeeded == 0)
        {
            return flushed is null ? new ValueTask<long>(sequence) : WaitForFlushAsync(flushed, sequence, cancellationToken);
        }

        return AppendSlowAsync(this, new ReadOnlyMemory<AppendRecord>([record]), sparesNeeded, cancellationToken);
    }

    /// <summary>
    /// Appends a batch with consecutive sequences, all or nothing while the process lives (see
    /// <see cref="TryAppend(ReadOnlySpan{AppendRecord}, out long)"/>), and completes as <see cref="AppendAsync"/> does.
    /// </summary>
    /// <returns>The first record's sequence (<see cref="NextSequence"/> for an empty batch).</returns>
    public ValueTask<long> AppendBatchAsync(ReadOnlyMemory<AppendRecord> records, CancellationToken cancellationToken = default)
    {
        int[] lengths = ArrayPool<int>.Shared.Rent(records.Length);
        int sparesNeeded;
        long first;
        Task? flushed;
        try
        {
            Measure(records.Span, lengths);
            sparesNeeded = AppendCore(records.Span, lengths.AsSpan(0, records.Length), _waitForFlush, out first, out flushed);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(lengths);
        }

        if (sparesNeeded == 0)
        {
            return flushed is null ? new ValueTask<long>(first) : WaitForFlushAsync(flushed, first, cancellationToken);
        }

        return AppendSlowAsync(this, records, sparesNeeded, cancellationToken);
    }

    // The slow path: wait for the spares the batch needs, then try again (another appender may have taken them).
    private static async ValueTask<long> AppendSlowAsync(SegmentedLog log, ReadOnlyMemory<AppendRecord> records, int sparesNeeded, CancellationToken cancellationToken)
    {
        int[] lengths = ArrayPool<int>.Shared.Rent(records.Length);
        try
        {
            Measure(records.Span, lengths, log._options.MaxRecordSize);
            while (true)
            {
                await log._allocator.WaitForReadyAsync(sparesNeeded, cancellationToken).ConfigureAwait(false);
                sparesNeeded = log.AppendCore(records.Span, lengths.AsSpan(0, records.Length), log._waitForFlush, out long first, out Task? flushed);
                if (sparesNeeded == 0)
                {
                    if (flushed is not null)
                    {
                        await flushed.WaitAsync(cancellationToken).ConfigureAwait(false);
                    }

                    return first;
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(lengths);
        }
    }

    // Pooled: in Always mode nearly every append waits here, and the state machine box is otherwise one allocation per append.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<long> WaitForFlushAsync(Task flushed, long result, CancellationToken cancellationToken)
    {
        await flushed.WaitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    private void Measure(ReadOnlySpan<AppendRecord> records, Span<int> lengths) => Measure(records, lengths, _options.MaxRecordSize);

    private static void Measure(ReadOnlySpan<AppendRecord> records, Span<int> lengths, int maxRecordSize)
    {
        for (int i = 0; i < records.Length; i++)
        {
            lengths[i] = RecordFormat.Measure(in records[i], maxRecordSize);
        }
    }

    /// <summary>
    /// Writes the batch under the append lock. Returns 0 when it was appended, or the number of spare
    /// segments it needs when fewer are ready (nothing was written then).
    /// </summary>
    private int AppendCore(ReadOnlySpan<AppendRecord> records, ReadOnlySpan<int> lengths, bool waitForFlush, out long firstSequence, out Task? flushed)
    {
        // Rented outside the lock; the pool keeps the append path free of allocations.
        byte[]? staging = records.IsEmpty ? null : ArrayPool<byte>.Shared.Rent(StagingBytes(lengths));
        try
        {
            return AppendCore(records, lengths, staging, waitForFlush, out firstSequence, out flushed);
        }
        finally
        {
            if (staging is not null)
            {
                ArrayPool<byte>.Shared.Return(staging);
            }
        }
    }

    private int AppendCore(ReadOnlySpan<AppendRecord> records, ReadOnlySpan<int> lengths, byte[]? staging, bool waitForFlush, out long firstSequence, out Task? flushed)
    {
        bool wakeCommitter = false;
        flushed = null;
        lock (_appendLock)
        {
            ThrowIfUnwritable();
            firstSequence = _nextSequence;
            if (records.IsEmpty)
            {
                return 0;
            }

            int rolls = CountRolls(lengths);
            if (rolls > 0 && rolls > _allocator.ReadyCount)
            {
                return rolls;
            }

            long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            long sequence = firstSequence;

            // Staged records end at the active segment's write position: they start at WritePosition - staged.
            int staged = 0;
            for (int i = 0; i < records.Length; i++)
            {
                int size = RecordFormat.Align(lengths[i]);
                if (_active.Remaining < size)
                {
                    // The sealed segment's records reach its file before the roll fdatasyncs it.
                    WriteStagedLocked(staging, ref staged);
                    RollLocked(sequence, now);
                }

                if (staging!.Length - staged < size)
                {
                    WriteStagedLocked(staging, ref staged);
                }

                ref readonly AppendRecord record = ref records[i];
                _active.Stage(staging.AsSpan(staged, size), lengths[i], sequence, record.Timestamp == 0 ? now : record.Timestamp, in record);
                staged += size;
                sequence++;
            }

            WriteStagedLocked(staging, ref staged);
            MarkDirtyLocked(_active);
            Volatile.Write(ref _nextSequence, sequence);
            if (waitForFlush)
            {
                flushed = RequestFlushLocked(ref wakeCommitter);
            }
        }

        if (wakeCommitter)
        {
            _flushRequested.Release();
        }

        return 0;
    }

    // The staging buffer a batch needs: room for its largest record, and for the whole batch up to MaxStagingBytes.
    private static int StagingBytes(ReadOnlySpan<int> lengths)
    {
        long total = 0;
        int largest = 0;
        foreach (int length in lengths)
        {
            int size = RecordFormat.Align(length);
            total += size;
            largest = Math.Max(largest, size);
        }

        return (int)Math.Max(largest, Math.Min(total, MaxStagingBytes));
    }

    // Writes the staged records into the active segment's file (page cache) and empties the staging buffer.
    // A failed write leaves a hole below the write position that later records would sit behind, and
    // recovery would cut them off there: the log fails rather than acknowledge anything after it.
    private void WriteStagedLocked(byte[]? staging, ref int staged)
    {
        if (staged == 0)
        {
            return;
        }

        try
        {
            _active.Write(staging!.AsSpan(0, staged), _active.WritePosition - staged);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw FailLocked(ex, $"Could not write records to {_active.Path}");
        }

        staged = 0;
    }

    // How many new segments the batch would open, placing records as AppendCore will.
    private int CountRolls(ReadOnlySpan<int> lengths)
    {
        int rolls = 0;
        long position = _active.WritePosition;
        long capacity = _active.Capacity;
        foreach (int length in lengths)
        {
            int size = RecordFormat.Align(length);
            if (capacity - position < size)
            {
                rolls++;
                position = SegmentHeader.Size;
                capacity = _options.SegmentCapacity;
            }

            position += size;
        }

        return rolls;
    }

    private void RollLocked(long baseSequence, long nowUnixMs)
    {
        if (!_allocator.TryTake(out LogSegment spare))
        {
            // CountRolls checked the spares under this lock and only this lock takes them.
            throw new InvalidOperationException("A segment roll found no spare after counting one.");
        }

        LogSegment sealedSegment = _active;
        try
        {
            // The sealed segment reaches the disk before any byte of the next one can: the page cache may
            // write the new segment back at any moment, and a power loss must never leave a torn record
            // anywhere but in the newest segment, where recovery truncates it. One fdatasync per segment.
            // None mode promises nothing across a power loss, and there the sync would find the whole
            // segment dirty and stall every appender for it, so it is skipped.
            if (_options.Durability != DurabilityMode.None)
            {
                sealedSegment.SyncData();
            }

            spare.Activate(SegmentFileNames.Segment(_directory, baseSequence), baseSequence, nowUnixMs);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            spare.Retire(null);
            throw FailLocked(ex, $"Could not start segment {baseSequence}");
        }

        _active = spare;
        Volatile.Write(ref _segments, [.. _segments, spare]);
        _directoryDirty = true;
        MarkDirtyLocked(sealedSegment);
        MarkDirtyLocked(spare);
        LogRolled(sealedSegment.Path, baseSequence);
    }

    private void ThrowIfUnwritable()
    {
        ThrowIfClosed();
        if (_failure is not null)
        {
            throw new LogQueueException(ErrorCode.StorageFailure, $"The log in '{_directory}' failed to write ({_failure.Message}); reopen it to recover.", _failure);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sealed segment {Path}; next segment starts at {BaseSequence}")]
    private partial void LogRolled(string path, long baseSequence);
}
