using System.Buffers.Binary;

namespace LogQueue.Engine.Queues.Journal;

/// <summary>
/// Reads the entries of one journal record body in place (format in <see cref="JournalEntryFormat"/>).
/// Anything that does not decode (a version or tag this build does not know, a cut-off entry, a value out
/// of range) throws <see cref="LogQueueException"/> with <see cref="ErrorCode.StorageCorrupt"/>, naming the
/// journal, the record and the byte offset.
/// </summary>
internal ref struct JournalRecordReader
{
    private readonly ReadOnlySpan<byte> _body;
    private readonly long _recordSequence;
    private readonly string _source;
    private int _position;

    /// <param name="body">The record body.</param>
    /// <param name="recordSequence">The record's sequence in the journal log (for error messages).</param>
    /// <param name="source">The journal's directory (for error messages).</param>
    public JournalRecordReader(ReadOnlySpan<byte> body, long recordSequence, string source)
    {
        _body = body;
        _recordSequence = recordSequence;
        _source = source;
        if (body.IsEmpty)
        {
            throw Corrupt(0, "the record is empty");
        }

        if (body[0] != JournalEntryFormat.FormatVersion)
        {
            throw Corrupt(0, $"journal entry format version {body[0]} is not supported (this build reads version {JournalEntryFormat.FormatVersion})");
        }

        _position = JournalEntryFormat.VersionSize;
    }

    /// <summary>Reads the next entry; false at the end of the record.</summary>
    public bool TryRead(out JournalEntry entry)
    {
        entry = default;
        if (_position == _body.Length)
        {
            return false;
        }

        int at = _position;
        byte tag = _body[at];
        switch ((JournalEntryKind)tag)
        {
            case JournalEntryKind.Deleted:
            {
                ReadOnlySpan<byte> fields = Take(at, JournalEntryFormat.DeletedSize, "Deleted");
                long start = BinaryPrimitives.ReadInt64LittleEndian(fields[1..]);
                long end = BinaryPrimitives.ReadInt64LittleEndian(fields[9..]);
                if (start < 0 || end <= start)
                {
                    throw Corrupt(at, $"Deleted range [{start}, {end}) is empty or negative");
                }

                entry = new JournalEntry(JournalEntryKind.Deleted, start, end, 0, 0);
                return true;
            }

            case JournalEntryKind.Received:
            {
                ReadOnlySpan<byte> fields = Take(at, JournalEntryFormat.ReceivedSize, "Received");
                long sequence = BinaryPrimitives.ReadInt64LittleEndian(fields[1..]);
                int count = BinaryPrimitives.ReadInt32LittleEndian(fields[9..]);
                long firstReceive = BinaryPrimitives.ReadInt64LittleEndian(fields[13..]);
                if (sequence is < 0 or long.MaxValue || count < 1)
                {
                    throw Corrupt(at, $"Received entry for sequence {sequence} with receive count {count} is out of range");
                }

                entry = new JournalEntry(JournalEntryKind.Received, sequence, sequence + 1, count, firstReceive);
                return true;
            }

            default:
                throw Corrupt(at, $"unknown journal entry tag 0x{tag:x2} (written by a newer version, or damaged)");
        }
    }

    private ReadOnlySpan<byte> Take(int at, int size, string kind)
    {
        if (_body.Length - at < size)
        {
            throw Corrupt(at, $"{kind} entry needs {size} bytes but only {_body.Length - at} are left in the record");
        }

        _position = at + size;
        return _body.Slice(at, size);
    }

    private readonly LogQueueException Corrupt(int offset, string reason) => new(
        ErrorCode.StorageCorrupt,
        $"Corrupt state journal '{_source}': record {_recordSequence}, byte {offset} of its body: {reason}.");
}
