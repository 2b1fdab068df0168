using System.Buffers;
using System.Runtime.CompilerServices;
using LogQueue.Engine.Log;

namespace LogQueue.Engine.Queues.Journal;

public sealed partial class QueueStateJournal
{
    // Batches up to this many entries keep their record boundaries on the stack.
    private const int StackEntryLimit = 256;

    /// <summary>
    /// Appends a batch of entries without waiting, as one journal record (several if the encoded batch is
    /// larger than <see cref="QueueStateJournalOptions.MaxRecordSize"/>). Deletes that follow each other and
    /// touch merge into one range. The entries are durable once <see cref="DurablePosition"/> passes
    /// <paramref name="journalSequence"/>; <see cref="WaitForDurableAsync"/> waits as the durability mode asks.
    /// Returns false, having appended nothing, only when the journal needs a new segment and none is ready
    /// yet; <see cref="AppendAsync"/> waits for one instead.
    /// </summary>
    /// <param name="entries">The entries; an empty batch appends nothing.</param>
    /// <param name="journalSequence">The position of the last record written (below <see cref="Position"/>; -1 if nothing was ever appended).</param>
    /// <exception cref="ArgumentException">An entry is not valid (<c>default</c>, say); nothing was appended.</exception>
    /// <exception cref="LogQueueException">The journal is closed or failed.</exception>
    public bool TryAppend(ReadOnlySpan<JournalEntry> entries, out long journalSequence)
    {
        if (entries.IsEmpty)
        {
            journalSequence = _log.NextSequence - 1;
            return true;
        }

        EncodedBatch batch = Encode(entries);
        try
        {
            if (!_log.TryAppend(batch.Records, out long first))
            {
                journalSequence = -1;
                return false;
            }

            journalSequence = first + batch.RecordCount - 1;
            Count(in batch);
            return true;
        }
        finally
        {
            batch.Return();
        }
    }

    /// <summary>
    /// Appends a batch of entries (as <see cref="TryAppend"/> does) and completes when the append counts as done
    /// under the journal's durability mode: in <see cref="DurabilityMode.Always"/> after the group-commit flush
    /// that covers it, otherwise at once. Waits for a new segment when one is needed. Cancellation stops the
    /// wait, not the append: a cancelled batch may still be stored.
    /// </summary>
    /// <exception cref="ArgumentException">An entry is not valid; nothing was appended.</exception>
    /// <exception cref="LogQueueException">The journal is closed or failed.</exception>
    public ValueTask AppendAsync(ReadOnlyMemory<JournalEntry> entries, CancellationToken cancellationToken = default)
    {
        if (entries.IsEmpty)
        {
            return ValueTask.CompletedTask;
        }

        EncodedBatch batch = Encode(entries.Span);
        ValueTask<long> appended;
        try
        {
            appended = _log.AppendBatchAsync(batch.RecordMemory, cancellationToken);
        }
        catch
        {
            batch.Return();
            throw;
        }

        // The log has copied the records unless it is waiting for a spare segment; until the task completes
        // it may be, so the buffers go back to the pool only then.
        Count(in batch);
        if (appended.IsCompletedSuccessfully)
        {
            // Consumed, so that a pooled source behind the task goes back to its pool.
            _ = appended.GetAwaiter().GetResult();
            batch.Return();
            return ValueTask.CompletedTask;
        }

        return AwaitAppendAsync(appended, batch);
    }

    /// <summary>
    /// Completes when the record at <paramref name="journalSequence"/> (from <see cref="TryAppend"/>) counts as
    /// done under the durability mode: in <see cref="DurabilityMode.Always"/> once it is on disk (sharing a
    /// group-commit flush with other appends), in <see cref="DurabilityMode.Interval"/> and
    /// <see cref="DurabilityMode.None"/> at once. <see cref="FlushAsync"/> forces a flush in any mode.
    /// </summary>
    public Task WaitForDurableAsync(long journalSequence, CancellationToken cancellationToken = default)
    {
        if (journalSequence < 0 || _options.Durability != DurabilityMode.Always || journalSequence < _log.DurableSequence)
        {
            return Task.CompletedTask;
        }

        return _log.WaitForDurableAsync(journalSequence, cancellationToken);
    }

    /// <summary>Flushes everything appended so far, in any durability mode, and completes when it is on disk.</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default) => _log.FlushAsync(cancellationToken);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask AwaitAppendAsync(ValueTask<long> appended, EncodedBatch batch)
    {
        try
        {
            await appended.ConfigureAwait(false);
        }
        finally
        {
            batch.Return();
        }
    }

    private void Count(in EncodedBatch batch)
    {
        Interlocked.Add(ref _entriesAppended, batch.EntryCount);
        Interlocked.Add(ref _bytesAppended, batch.ByteCount);
    }

    // Encodes the entries into pooled buffers: the bytes, and one AppendRecord per record body.
    private EncodedBatch Encode(ReadOnlySpan<JournalEntry> entries)
    {
        long maxBytes = JournalEntryFormat.MaxEncodedSize(entries.Length);
        if (maxBytes > Array.MaxLength)
        {
            throw new ArgumentException($"A batch of {entries.Length} journal entries is too large for one append.", nameof(entries));
        }

        int[]? rentedEnds = null;
        Span<int> ends = entries.Length <= StackEntryLimit
            ? stackalloc int[entries.Length]
            : (rentedEnds = ArrayPool<int>.Shared.Rent(entries.Length)).AsSpan(0, entries.Length);
        byte[] bytes = ArrayPool<byte>.Shared.Rent((int)maxBytes);
        try
        {
            int records = JournalEntryFormat.Encode(entries, _options.MaxRecordSize, bytes, ends, out int entryCount);
            AppendRecord[] appendRecords = ArrayPool<AppendRecord>.Shared.Rent(records);
            int start = 0;
            for (int i = 0; i < records; i++)
            {
                appendRecords[i] = new AppendRecord(bytes.AsMemory(start, ends[i] - start));
                start = ends[i];
            }

            return new EncodedBatch(bytes, appendRecords, records, entryCount, start);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(bytes);
            throw;
        }
        finally
        {
            if (rentedEnds is not null)
            {
                ArrayPool<int>.Shared.Return(rentedEnds);
            }
        }
    }

    private readonly record struct EncodedBatch(byte[] Bytes, AppendRecord[] AppendRecords, int RecordCount, int EntryCount, int ByteCount)
    {
        public ReadOnlySpan<AppendRecord> Records => AppendRecords.AsSpan(0, RecordCount);

        public ReadOnlyMemory<AppendRecord> RecordMemory => AppendRecords.AsMemory(0, RecordCount);

        public void Return()
        {
            // Clear the records so the pool does not keep the byte buffer reachable through them.
            ArrayPool<AppendRecord>.Shared.Return(AppendRecords, clearArray: true);
            ArrayPool<byte>.Shared.Return(Bytes);
        }
    }
}
