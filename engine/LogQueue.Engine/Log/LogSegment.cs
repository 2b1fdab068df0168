using System.IO.MemoryMappedFiles;
using LogQueue.Engine.IO;
using Microsoft.Win32.SafeHandles;

namespace LogQueue.Engine.Log;

/// <summary>
/// One preallocated, memory-mapped segment file and the index of the records in it.
/// <para>
/// Writes go to the file with pwrite (<see cref="Write"/>); the mapping is only read. The page cache
/// tracks a pwrite dirty by file-system block, but a write through a shared mapping dirties the whole
/// folio it lands in, which can be 1 MiB: a flush of 128 bytes written through the mapping of a segment
/// zero-filled with 1 MiB writes wrote 1 MiB to the disk, of a pwrite one 4 KiB block. Linux's page
/// cache is unified, so the mapping reads what pwrite wrote as soon as it returns. Elsewhere, where no
/// such promise is made, <see cref="Write"/> copies into the mapping instead.
/// </para>
/// <para>
/// Lifetime: the log holds one reference from the moment the segment is live; every read takes another
/// for its duration (<see cref="TryAcquire"/> / <see cref="Release"/>). Removing the segment drops the
/// log's reference, and the mapping is unmapped only when the last reader lets go, so a read never
/// touches unmapped memory.
/// </para>
/// </summary>
internal sealed unsafe class LogSegment
{
    // Zeros are written one page at a time: the page cache makes a folio as large as the write that creates
    // it, and appends into large folios cost more (docs/storage.md §3). Only ever read, so every file shares it.
    private static readonly byte[] Zeros = new byte[Environment.SystemPageSize];

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
        // On Linux every byte reaches the file through pwrite (Write, ZeroFrom) and the mapping is only read: map it
        // read-only, so unmapping a removed segment does not msync it (that msync ran inside the delete request
        // that moved the floor past the segment, waiting for writeback). Elsewhere records go through the mapping.
        MemoryMappedFileAccess access = OperatingSystem.IsLinux() ? MemoryMappedFileAccess.Read : MemoryMappedFileAccess.ReadWrite;
        _map = MemoryMappedFile.CreateFromFile(file, null, capacity, access, HandleInheritability.None, leaveOpen: true);
        try
        {
            _view = _map.CreateViewAccessor(0, capacity, access);
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

    /// <summary>The whole mapped file, for reading; writes go through <see cref="Write"/>.</summary>
    public ReadOnlySpan<byte> Bytes => new(_pointer, (int)Capacity);

    // The mapping as writable memory, for systems where records are written through it; on Linux it is mapped
    // read-only and a write through it would fault.
    private Span<byte> MappedForWriting => new(_pointer, (int)Capacity);

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

            // Into freshly created cache pages: a recycled file's cached folios would otherwise be kept, whatever their size.
            NativeFile.DropCachedPages(file);
            WriteZeros(file, 0, capacity);
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
        WriteHeader(baseSequence, createdUnixMs);
        File.Move(Path, segmentPath);
        Path = segmentPath;
        BaseSequence = baseSequence;
        WritePosition = SegmentHeader.Size;
    }

    /// <summary>
    /// Encodes one record into <paramref name="staging"/> (at least <c>Align(length)</c> bytes) for the write
    /// position, indexes it and moves the write position past it. Nothing reaches the file until the caller
    /// writes the staged bytes at their offset with <see cref="Write"/>, which it must do before publishing
    /// the record. Caller holds the append lock and checked the space.
    /// </summary>
    public void Stage(Span<byte> staging, int length, long sequence, long timestamp, in AppendRecord record)
    {
        RecordFormat.Write(staging, length, sequence, timestamp, in record);
        Index.Add(WritePosition);
        WritePosition += RecordFormat.Align(length);
    }

    /// <summary>Writes <paramref name="bytes"/> into the file at <paramref name="offset"/>: into the page cache, not to the disk.</summary>
    public void Write(ReadOnlySpan<byte> bytes, long offset)
    {
        if (OperatingSystem.IsLinux())
        {
            RandomAccess.Write(_file, bytes, offset);
        }
        else
        {
            bytes.CopyTo(MappedForWriting[(int)offset..]);
        }
    }

    /// <summary>Writes a fresh header for <paramref name="baseSequence"/> (recovery rewrites an all-zero one with created = 0).</summary>
    public void WriteHeader(long baseSequence, long createdUnixMs)
    {
        Span<byte> header = stackalloc byte[SegmentHeader.Size];
        SegmentHeader.Write(header, baseSequence, Capacity, createdUnixMs);
        Write(header, 0);
    }

    /// <summary>Zeroes the file from <paramref name="offset"/> to its end (its size stays).</summary>
    public void ZeroFrom(long offset)
    {
        if (OperatingSystem.IsLinux())
        {
            WriteZeros(_file, offset, Capacity);
        }
        else
        {
            MappedForWriting[(int)offset..].Clear();
        }
    }

    /// <summary>The bytes of the record at <paramref name="position"/> (0-based from the base sequence).</summary>
    public ReadOnlySpan<byte> RecordAt(int position)
    {
        int offset = Index[position];
        ReadOnlySpan<byte> bytes = Bytes[offset..];
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

    // From an offset that need not be page-aligned: the first write only runs to the next page boundary.
    private static void WriteZeros(SafeFileHandle file, long from, long to)
    {
        long offset = from;
        while (offset < to)
        {
            int length = (int)Math.Min(Zeros.Length - (offset % Zeros.Length), to - offset);
            RandomAccess.Write(file, Zeros.AsSpan(0, length), offset);
            offset += length;
        }
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
