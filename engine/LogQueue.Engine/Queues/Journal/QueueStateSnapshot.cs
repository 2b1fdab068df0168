using System.Buffers;

namespace LogQueue.Engine.Queues.Journal;

/// <summary>
/// A queue's state serialized at one journal position, ready to be written as a checkpoint by
/// <see cref="QueueStateJournal.WriteCheckpointAsync"/>. Made by <see cref="QueueStateJournal.CaptureSnapshot(QueueState)"/>
/// under the queue's lock, so that the state and the position agree; writing it needs no lock. Holds a
/// pooled buffer: dispose it once written.
/// </summary>
public sealed class QueueStateSnapshot : IDisposable
{
    private byte[]? _buffer;

    internal QueueStateSnapshot(byte[] buffer, int length, long position, long deletedRanges, long receiveStates, long entriesAppended, long bytesAppended)
    {
        _buffer = buffer;
        Length = length;
        Position = position;
        DeletedRangeCount = deletedRanges;
        ReceiveStateCount = receiveStates;
        EntriesAppended = entriesAppended;
        BytesAppended = bytesAppended;
    }

    /// <summary>The journal position the snapshot covers: every journal entry below it is reflected in it.</summary>
    public long Position { get; }

    /// <summary>The size of the checkpoint file this snapshot makes, in bytes.</summary>
    public int Length { get; }

    /// <summary>How many deleted ranges above the floor the snapshot holds.</summary>
    public long DeletedRangeCount { get; }

    /// <summary>How many receive states the snapshot holds.</summary>
    public long ReceiveStateCount { get; }

    // The journal's append counters when the snapshot was taken, for ShouldCheckpoint.
    internal long EntriesAppended { get; }

    internal long BytesAppended { get; }

    /// <summary>The checkpoint file image (header and body); CRCs are filled in when it is written.</summary>
    internal Span<byte> Image => (_buffer ?? throw new ObjectDisposedException(nameof(QueueStateSnapshot))).AsSpan(0, Length);

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        byte[]? buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
