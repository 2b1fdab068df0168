using System.IO.MemoryMappedFiles;
using LogQueue.Engine.IO;
using Microsoft.Win32.SafeHandles;

namespace LogQueue.Engine.Log;

/// <summary>
/// One preallocated, memory-mapped segment file and the index of the records in it.
/// <para>
/// Lifetime: the log holds one reference from the moment the segment is live; every read takes another
/// for its duration (<see cref="TryAcquire"/> / <see cref="Release"/>). Removing the segment drops the
/// log's reference, and the mapping is unmapped only when the last reader lets go, so a read never
/// touches unmapped memory.
/// </para>
/// </summary>
internal sealed unsafe class LogSegment
{
    private const int ZeroChunk = 1 << 20;

    // Only ever read, so every spare shares it: a fresh array per spare is a large-object allocation each
    // time (a queue's journal rolls its 1 MiB segments every few thousand batches), and those bring on
    // gen2 collections.
    private static readonly byte[] Zeros = new byte[ZeroChunk];

    private readonly SafeFileHandle _file;
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _pointer;
    private int _references = 1;
    private Action<LogSegment>? _onReleased;

    private LogSegment(string path, SafeFileHandle file, long capacity, long baseSequence)
    {
        Path = path;
        _file = file;
        Capacity = capacity;
        BaseSequence = baseSequence;
        Index = new SegmentIndex(capacity);
        WritePosition = SegmentHeader.Size;
        _map = MemoryMappedFile.CreateFromFile(file, null, capacity, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: true);
        try
        {
            _view = _map.CreateViewAccessor(0, capacity, MemoryMappedFileAccess.ReadWrite);
            byte* pointer = null;
            _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            _pointer = pointer + _view.PointerOffset;
        }
        catch
        {
            _view?.Dispose();
            _map.Dispose();
            throw;
        }
    }

    /// <summary>The file's current path (it changes when a spare goes live or a segment is retired).</summary>
    public string Path { get; private set; }

    /// <summary>The preallocated size of the file.</summary>
    public long Capacity { get; }

    /// <summary>The sequence of the first record; -1 for a spare that is not live yet.</summary>
    public long BaseSequence { get; private set; }

    /// <summary>Offsets of the records written so far.</summary>
    public SegmentIndex Index { get; }

    /// <summary>Where the next record goes. Changed only under the log's append lock (or during recovery).</summary>
    public int WritePosition { get; set; }

    /// <summary>Written since the last flush snapshot. Changed only under the log's append lock.</summary>
    public bool Dirty { get; set; }

    /// <summary>The whole mapped file.</summary>
    public Span<byte> Bytes => new(_pointer, (int)Capacity);

    /// <summary>Bytes left for records.</summary>
    public long Remaining => Capacity - WritePosition;

    /// <summary>Maps an existing segment file; its size is its capacity.</summary>
    public static LogSegment Open(string path, long baseSequence)
    {
        SafeFileHandle file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            long length = RandomAccess.GetLength(file);
            if (length is < SegmentedLogOptions.MinSegmentCapacity or > SegmentedLogOptions.MaxSegmentCapacity || length % RecordFormat.Alignment != 0)
            {
                throw new LogCorruptionException(path, 0, $"the file is {length} bytes long, not a segment size (a multiple of {RecordFormat.Alignment} from {SegmentedLogOptions.MinSegmentCapacity} to {SegmentedLogOptions.MaxSegmentCapacity})");
            }

            return new LogSegment(path, file, length, baseSequence);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Makes a spare: a file of <paramref name="capacity"/> zero bytes, made durable, then mapped. The
    /// zeros are written, not left sparse, so later flushes of records commit no new extents (see DESIGN.md).
    /// An existing file (a retired segment being recycled) is overwritten in place.
    /// </summary>
    public static LogSegment CreateSpare(string path, long capacity)
    {
        SafeFileHandle file = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            if (RandomAccess.GetLength(file) != capacity)
            {
                RandomAccess.SetLength(file, 0);
            }

            for (long offset = 0; offset < capacity; offset += ZeroChunk)
            {
                RandomAccess.Write(file, Zeros.AsSpan(0, (int)Math.Min(ZeroChunk, capacity - offset)), offset);
            }

            RandomAccess.FlushToDisk(file);
            return new LogSegment(path, file, capacity, -1);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Turns a spare into the live segment starting at <paramref name="baseSequence"/>: writes the header
    /// and renames the file to its segment name. The caller makes the directory durable before any record
    /// in it is acknowledged.
    /// </summary>
    public void Activate(string segmentPath, long baseSequence, long createdUnixMs)
    {
        SegmentHeader.Write(Bytes, baseSequence, Capacity, createdUnixMs);
        File.Move(Path, segmentPath);
        Path = segmentPath;
        BaseSequence = baseSequence;
        WritePosition = SegmentHeader.Size;
    }

    /// <summary>Writes one record at the write position and indexes it. Caller holds the append lock and checked the space.</summary>
    public void Append(int length, long sequence, long timestamp, in AppendRecord record)
    {
        int offset = WritePosition;
        RecordFormat.Write(Bytes[offset..], length, sequence, timestamp, in record);
        Index.Add(offset);
        WritePosition = offset + RecordFormat.Align(length);
    }

    /// <summary>The bytes of the record at <paramref name="position"/> (0-based from the base sequence).</summary>
    public ReadOnlySpan<byte> RecordAt(int position)
    {
        int offset = Index[position];
        Span<byte> bytes = Bytes[offset..];
        return bytes[..RecordFormat.ReadLength(bytes)];
    }

    /// <summary>Makes every write to the file durable.</summary>
    public void SyncData() => NativeFile.SyncData(_file);

    /// <summary>Renames the file (the mapping and handle stay valid).</summary>
    public void MoveTo(string path)
    {
        File.Move(Path, path);
        Path = path;
    }

    /// <summary>Takes a read reference; false once the segment has been released for good.</summary>
    public bool TryAcquire()
    {
        int current = Volatile.Read(ref _references);
        while (current > 0)
        {
            int seen = Interlocked.CompareExchange(ref _references, current + 1, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }

    /// <summary>Drops a reference; the last one unmaps the file and then calls the retire callback.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
            _map.Dispose();
            _file.Dispose();
            Index.ReturnChunks();
            _onReleased?.Invoke(this);
        }
    }

    /// <summary>Drops the log's own reference; <paramref name="onReleased"/> runs once no reader holds the segment.</summary>
    public void Retire(Action<LogSegment>? onReleased)
    {
        _onReleased = onReleased;
        Release();
    }
}
