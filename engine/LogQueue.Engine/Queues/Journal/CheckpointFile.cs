using System.Buffers;
using System.Buffers.Binary;
using LogQueue.Engine.Acks;
using LogQueue.Engine.IO;

namespace LogQueue.Engine.Queues.Journal;

/// <summary>
/// The checkpoint file of a state journal (format version 1, little-endian; docs/storage.md is the spec):
/// <code>
///  0  8 bytes  magic "LQCHKPNT"
///  8  u32      format version (1)
/// 12  u32      header size (64)
/// 16  i64      journal position covered: every journal record below it is reflected here
/// 24  i64      ack floor: every sequence below it is deleted
/// 32  i64      R, deleted ranges above the floor
/// 40  i64      N, receive states
/// 48  i64      created, Unix milliseconds
/// 56  u32      CRC-32C of the body, bytes [64, end)
/// 60  u32      CRC-32C of bytes [0, 60)
/// 64  R x 16   deleted ranges: i64 start, i64 end (exclusive); ascending, disjoint, start >= floor
/// ..  N x 20   receive states: i64 sequence, i32 receive count (>= 1), i64 first receive time (Unix ms)
/// </code>
/// The file is exactly 64 + 16R + 20N bytes. It is replaced atomically: written to a temporary file,
/// fsynced, renamed over the old one, and the directory fsynced.
/// </summary>
internal static class CheckpointFile
{
    public const int HeaderSize = 64;
    public const uint FormatVersion = 1;
    public const int RangeSize = 16;
    public const int ReceiveSize = 20;
    public static ReadOnlySpan<byte> Magic => "LQCHKPNT"u8;

    private const int PositionOffset = 16;
    private const int FloorOffset = 24;
    private const int RangeCountOffset = 32;
    private const int ReceiveCountOffset = 40;
    private const int CreatedOffset = 48;
    private const int BodyCrcOffset = 56;
    private const int HeaderCrcOffset = 60;

    /// <summary>
    /// Serializes the state into a pooled buffer (the caller holds the queue's lock). Receive states of
    /// deleted sequences are left out. CRCs are left for <see cref="Write"/>, outside the lock.
    /// </summary>
    public static QueueStateSnapshot Capture(
        long position,
        AckTracker deletes,
        IReadOnlyCollection<KeyValuePair<long, ReceiveState>> receives,
        long createdUnixMs,
        long entriesAppended,
        long bytesAppended)
    {
        // Ranges are at most one per deleted sequence; guess generously, grow if wrong.
        long guess = HeaderSize + ((long)receives.Count * ReceiveSize) + (Math.Min(deletes.DeletedAboveFloor, 4096) * RangeSize);
        var image = new Image((int)Math.Min(guess, Array.MaxLength));
        try
        {
            image.Advance(HeaderSize);
            long ranges = 0;
            long start = -1, end = -1;

            // DeletedRanges splits runs at bitmap page boundaries; join them so the file holds maximal runs.
            foreach ((long rangeStart, long rangeEnd) in deletes.DeletedRanges())
            {
                if (rangeStart == end)
                {
                    end = rangeEnd;
                    continue;
                }

                if (start >= 0)
                {
                    WriteRange(ref image, start, end);
                    ranges++;
                }

                (start, end) = (rangeStart, rangeEnd);
            }

            if (start >= 0)
            {
                WriteRange(ref image, start, end);
                ranges++;
            }

            long receiveStates = 0;
            foreach (KeyValuePair<long, ReceiveState> pair in receives)
            {
                if (deletes.IsDeleted(pair.Key))
                {
                    continue;
                }

                Span<byte> target = image.GetSpan(ReceiveSize);
                BinaryPrimitives.WriteInt64LittleEndian(target, pair.Key);
                BinaryPrimitives.WriteInt32LittleEndian(target[8..], pair.Value.ReceiveCount);
                BinaryPrimitives.WriteInt64LittleEndian(target[12..], pair.Value.FirstReceiveTimestampMs);
                image.Advance(ReceiveSize);
                receiveStates++;
            }

            Span<byte> header = image.Written[..HeaderSize];
            header.Clear();
            Magic.CopyTo(header);
            BinaryPrimitives.WriteUInt32LittleEndian(header[8..], FormatVersion);
            BinaryPrimitives.WriteUInt32LittleEndian(header[12..], HeaderSize);
            BinaryPrimitives.WriteInt64LittleEndian(header[PositionOffset..], position);
            BinaryPrimitives.WriteInt64LittleEndian(header[FloorOffset..], deletes.Floor);
            BinaryPrimitives.WriteInt64LittleEndian(header[RangeCountOffset..], ranges);
            BinaryPrimitives.WriteInt64LittleEndian(header[ReceiveCountOffset..], receiveStates);
            BinaryPrimitives.WriteInt64LittleEndian(header[CreatedOffset..], createdUnixMs);
            return image.Detach(position, ranges, receiveStates, entriesAppended, bytesAppended);
        }
        finally
        {
            image.Dispose();
        }
    }

    /// <summary>Fills in the CRCs and replaces the checkpoint file atomically. Blocking I/O.</summary>
    public static void Write(string path, string temporaryPath, QueueStateSnapshot snapshot)
    {
        Span<byte> image = snapshot.Image;
        BinaryPrimitives.WriteUInt32LittleEndian(image[BodyCrcOffset..], Crc32C.Compute(image[HeaderSize..]));
        BinaryPrimitives.WriteUInt32LittleEndian(image[HeaderCrcOffset..], Crc32C.Compute(image[..HeaderCrcOffset]));

        // The rename is the commit point: before it the old checkpoint (or none) is in force, after it the
        // new one, and the journal segments it replaces are removed only after the directory fsync makes
        // the rename durable.
        using (var file = File.OpenHandle(temporaryPath, FileMode.Create, FileAccess.Write, FileShare.None, FileOptions.None, image.Length))
        {
            RandomAccess.Write(file, image, 0);
            RandomAccess.FlushToDisk(file);
        }

        File.Move(temporaryPath, path, overwrite: true);
        NativeFile.SyncDirectory(Path.GetDirectoryName(path)!);
    }

    /// <summary>Reads and verifies a checkpoint file; any defect throws <see cref="ErrorCode.StorageCorrupt"/> naming the file.</summary>
    public static QueueState Read(string path, out long position, out long length)
    {
        byte[] bytes = File.ReadAllBytes(path);
        length = bytes.Length;
        ReadOnlySpan<byte> file = bytes;
        if (file.Length < HeaderSize)
        {
            throw Corrupt(path, $"the file is {file.Length} bytes, shorter than the {HeaderSize}-byte header");
        }

        ReadOnlySpan<byte> header = file[..HeaderSize];
        if (!header.StartsWith(Magic))
        {
            throw Corrupt(path, "the file does not start with the magic bytes");
        }

        uint headerCrc = BinaryPrimitives.ReadUInt32LittleEndian(header[HeaderCrcOffset..]);
        if (headerCrc != Crc32C.Compute(header[..HeaderCrcOffset]))
        {
            throw Corrupt(path, "the header CRC does not match");
        }

        uint version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (version != FormatVersion)
        {
            throw Corrupt(path, $"checkpoint format version {version} is not supported (this build reads version {FormatVersion})");
        }

        uint headerSize = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        position = BinaryPrimitives.ReadInt64LittleEndian(header[PositionOffset..]);
        long floor = BinaryPrimitives.ReadInt64LittleEndian(header[FloorOffset..]);
        long ranges = BinaryPrimitives.ReadInt64LittleEndian(header[RangeCountOffset..]);
        long receives = BinaryPrimitives.ReadInt64LittleEndian(header[ReceiveCountOffset..]);
        if (headerSize != HeaderSize || position < 0 || floor < 0 || ranges < 0 || receives < 0
            || ranges > file.Length / RangeSize || receives > file.Length / ReceiveSize
            || HeaderSize + (ranges * RangeSize) + (receives * ReceiveSize) != file.Length)
        {
            throw Corrupt(path, $"the header (size {headerSize}, position {position}, floor {floor}, {ranges} ranges, {receives} receive states) does not fit the file's {file.Length} bytes");
        }

        ReadOnlySpan<byte> body = file[HeaderSize..];
        uint bodyCrc = BinaryPrimitives.ReadUInt32LittleEndian(header[BodyCrcOffset..]);
        uint actual = Crc32C.Compute(body);
        if (bodyCrc != actual)
        {
            throw Corrupt(path, $"the body CRC-32C 0x{actual:x8} does not match the stored 0x{bodyCrc:x8}");
        }

        var deletes = new AckTracker(floor);
        long previousEnd = floor;
        for (long i = 0; i < ranges; i++)
        {
            ReadOnlySpan<byte> range = body.Slice((int)(i * RangeSize), RangeSize);
            long start = BinaryPrimitives.ReadInt64LittleEndian(range);
            long end = BinaryPrimitives.ReadInt64LittleEndian(range[8..]);
            if (start < previousEnd || end <= start)
            {
                throw Corrupt(path, $"deleted range {i} [{start}, {end}) is empty, below the floor {floor}, or overlaps the previous range");
            }

            deletes.MarkDeleted(start, end);
            previousEnd = end;
        }

        var receiveStates = new Dictionary<long, ReceiveState>((int)receives);
        ReadOnlySpan<byte> receiveBytes = body[(int)(ranges * RangeSize)..];
        for (int i = 0; i < receives; i++)
        {
            ReadOnlySpan<byte> entry = receiveBytes.Slice(i * ReceiveSize, ReceiveSize);
            long sequence = BinaryPrimitives.ReadInt64LittleEndian(entry);
            int count = BinaryPrimitives.ReadInt32LittleEndian(entry[8..]);
            long firstReceive = BinaryPrimitives.ReadInt64LittleEndian(entry[12..]);
            if (sequence < 0 || count < 1 || deletes.IsDeleted(sequence) || !receiveStates.TryAdd(sequence, new ReceiveState(count, firstReceive)))
            {
                throw Corrupt(path, $"receive state {i} (sequence {sequence}, count {count}) is out of range, deleted, or a duplicate");
            }
        }

        return new QueueState(deletes, receiveStates);
    }

    private static void WriteRange(ref Image image, long start, long end)
    {
        Span<byte> target = image.GetSpan(RangeSize);
        BinaryPrimitives.WriteInt64LittleEndian(target, start);
        BinaryPrimitives.WriteInt64LittleEndian(target[8..], end);
        image.Advance(RangeSize);
    }

    private static LogQueueException Corrupt(string path, string reason) =>
        new(ErrorCode.StorageCorrupt, $"Corrupt checkpoint file '{path}': {reason}.");

    // A growable byte buffer from the shared pool.
    private struct Image(int capacity) : IDisposable
    {
        private byte[]? _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, HeaderSize));
        private int _length;

        public readonly Span<byte> Written => _buffer.AsSpan(0, _length);

        public Span<byte> GetSpan(int size)
        {
            if (_buffer!.Length - _length < size)
            {
                long wanted = Math.Max((long)_buffer.Length * 2, (long)_length + size);
                if (wanted > Array.MaxLength)
                {
                    throw new LogQueueException(ErrorCode.OverLimit, $"The queue state is too large for one checkpoint file ({wanted} bytes).");
                }

                byte[] larger = ArrayPool<byte>.Shared.Rent((int)wanted);
                _buffer.AsSpan(0, _length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }

            return _buffer.AsSpan(_length, size);
        }

        public void Advance(int size)
        {
            GetSpan(size);
            _length += size;
        }

        public QueueStateSnapshot Detach(long position, long ranges, long receives, long entriesAppended, long bytesAppended)
        {
            var snapshot = new QueueStateSnapshot(_buffer!, _length, position, ranges, receives, entriesAppended, bytesAppended);
            _buffer = null;
            return snapshot;
        }

        public void Dispose()
        {
            if (_buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = null;
            }
        }
    }
}
