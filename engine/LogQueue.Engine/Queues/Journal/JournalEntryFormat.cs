using System.Buffers.Binary;

namespace LogQueue.Engine.Queues.Journal;

/// <summary>
/// The encoding of journal entries inside the body of a journal log record (little-endian; docs/storage.md
/// is the spec):
/// <code>
/// record body:  u8 format version (1), then one or more entries back to back
/// Deleted  (17 bytes): u8 tag 0x01, i64 start sequence, i64 end sequence (exclusive)
/// Received (21 bytes): u8 tag 0x02, i64 sequence, i32 receive count, i64 first receive time (Unix ms)
/// </code>
/// The version byte changes only if the layout of an existing entry changes; new kinds of entry take new
/// tags under the same version, so old journals stay readable. A reader fails on a tag it does not know:
/// skipping it would silently lose state (an entry's length is implied by its tag, so it could not even
/// find the next one).
/// </summary>
internal static class JournalEntryFormat
{
    public const byte FormatVersion = 1;
    public const int VersionSize = 1;
    public const int DeletedSize = 1 + 8 + 8;
    public const int ReceivedSize = 1 + 8 + 4 + 8;
    public const int MaxEntrySize = ReceivedSize;

    /// <summary>The smallest record body that holds one entry of any kind.</summary>
    public const int MinRecordSize = VersionSize + MaxEntrySize;

    /// <summary>An upper bound of the bytes <see cref="Encode"/> writes for <paramref name="entryCount"/> entries (each in a record of its own at worst).</summary>
    public static long MaxEncodedSize(int entryCount) => (long)entryCount * (VersionSize + MaxEntrySize);

    /// <summary>
    /// Encodes <paramref name="entries"/> into consecutive record bodies of at most <paramref name="maxRecordSize"/>
    /// bytes each, starting at offset 0 of <paramref name="destination"/>. Deleted entries that follow each other
    /// and touch or overlap merge into one range (their union). Returns how many record bodies were written;
    /// body <c>i</c> ends at <c>recordEnds[i]</c> and starts where body <c>i - 1</c> ended (0 for the first).
    /// </summary>
    /// <param name="entries">The entries, validated here: a bad one throws before anything is appended.</param>
    /// <param name="maxRecordSize">The largest record body, at least <see cref="MinRecordSize"/>.</param>
    /// <param name="destination">At least <see cref="MaxEncodedSize"/> bytes.</param>
    /// <param name="recordEnds">At least <c>entries.Length</c> slots.</param>
    /// <param name="entryCount">How many entries were written after merging.</param>
    public static int Encode(ReadOnlySpan<JournalEntry> entries, int maxRecordSize, Span<byte> destination, Span<int> recordEnds, out int entryCount)
    {
        var writer = new Writer(destination, recordEnds, maxRecordSize);
        bool pending = false;
        long pendingStart = 0, pendingEnd = 0;
        foreach (ref readonly JournalEntry entry in entries)
        {
            Validate(in entry);
            if (entry.Kind == JournalEntryKind.Deleted)
            {
                if (pending && entry.Sequence <= pendingEnd && entry.EndSequence >= pendingStart)
                {
                    pendingStart = Math.Min(pendingStart, entry.Sequence);
                    pendingEnd = Math.Max(pendingEnd, entry.EndSequence);
                    continue;
                }

                if (pending)
                {
                    writer.WriteDeleted(pendingStart, pendingEnd);
                }

                pending = true;
                pendingStart = entry.Sequence;
                pendingEnd = entry.EndSequence;
                continue;
            }

            if (pending)
            {
                writer.WriteDeleted(pendingStart, pendingEnd);
                pending = false;
            }

            writer.WriteReceived(entry.Sequence, entry.ReceiveCount, entry.FirstReceiveTimestampMs);
        }

        if (pending)
        {
            writer.WriteDeleted(pendingStart, pendingEnd);
        }

        entryCount = writer.Entries;
        return writer.Finish();
    }

    private static void Validate(in JournalEntry entry)
    {
        bool valid = entry.Kind switch
        {
            JournalEntryKind.Deleted => entry.Sequence >= 0 && entry.EndSequence > entry.Sequence,
            JournalEntryKind.Received => entry.Sequence >= 0 && entry.ReceiveCount >= 1,
            _ => false,
        };

        if (!valid)
        {
            throw new ArgumentException($"Not a valid journal entry: {entry}. Create entries with JournalEntry.Deleted or JournalEntry.Received.", nameof(entry));
        }
    }

    private ref struct Writer(Span<byte> destination, Span<int> recordEnds, int maxRecordSize)
    {
        private readonly Span<byte> _destination = destination;
        private readonly Span<int> _recordEnds = recordEnds;
        private int _written;
        private int _recordStart;
        private int _records;
        private bool _open;

        public int Entries { get; private set; }

        public void WriteDeleted(long start, long end)
        {
            Span<byte> target = Reserve(DeletedSize);
            target[0] = (byte)JournalEntryKind.Deleted;
            BinaryPrimitives.WriteInt64LittleEndian(target[1..], start);
            BinaryPrimitives.WriteInt64LittleEndian(target[9..], end);
        }

        public void WriteReceived(long sequence, int receiveCount, long firstReceiveTimestampMs)
        {
            Span<byte> target = Reserve(ReceivedSize);
            target[0] = (byte)JournalEntryKind.Received;
            BinaryPrimitives.WriteInt64LittleEndian(target[1..], sequence);
            BinaryPrimitives.WriteInt32LittleEndian(target[9..], receiveCount);
            BinaryPrimitives.WriteInt64LittleEndian(target[13..], firstReceiveTimestampMs);
        }

        public int Finish()
        {
            if (_open)
            {
                _recordEnds[_records++] = _written;
                _open = false;
            }

            return _records;
        }

        private Span<byte> Reserve(int size)
        {
            if (!_open || _written - _recordStart + size > maxRecordSize)
            {
                Finish();
                _recordStart = _written;
                _destination[_written++] = FormatVersion;
                _open = true;
            }

            Span<byte> target = _destination.Slice(_written, size);
            _written += size;
            Entries++;
            return target;
        }
    }
}
