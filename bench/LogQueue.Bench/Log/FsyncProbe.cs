using System.Diagnostics;
using System.IO.MemoryMappedFiles;
using LogQueue.Engine.IO;
using Microsoft.Win32.SafeHandles;

namespace LogQueue.Bench.Log;

/// <summary>
/// Measures what one fdatasync costs on the log's file system: write 128 bytes into a file preallocated
/// with zeros (as segments are), then <see cref="NativeFile.SyncData"/>, the call the log's flush makes.
/// Group commit cannot beat this: with N appenders each waiting for its record, at most N records are
/// durable per sync, so N ÷ latency is the ceiling.
/// <para>
/// The plain probe writes with pwrite. The mapped probe writes through a shared mapping, as the log does;
/// then the sync must also write-protect the page again (a TLB flush) and the next write takes a page
/// fault, so the gap between the two is what the log's choice of mmap adds to every flush.
/// </para>
/// </summary>
internal sealed class FsyncProbe : IDisposable
{
    private const int FileSize = 1 << 20;
    private const int WriteSize = 128;

    private readonly SafeFileHandle _file;
    private readonly MemoryMappedFile? _map;
    private readonly MemoryMappedViewAccessor? _view;
    private readonly byte[] _record = new byte[WriteSize];
    private long _offset;

    private FsyncProbe(SafeFileHandle file, bool mapped)
    {
        _file = file;
        _record.AsSpan().Fill(0x5a);
        if (mapped)
        {
            _map = MemoryMappedFile.CreateFromFile(file, null, FileSize, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: true);
            _view = _map.CreateViewAccessor(0, FileSize, MemoryMappedFileAccess.ReadWrite);
        }
    }

    /// <summary>Creates a probe file in <paramref name="directory"/>, zero-filled and durable, written with pwrite or through a mapping.</summary>
    public static FsyncProbe Create(string directory, bool mapped)
    {
        string name = mapped ? "fsync-probe-mapped.bin" : "fsync-probe.bin";
        SafeFileHandle file = File.OpenHandle(Path.Combine(directory, name), FileMode.CreateNew, FileAccess.ReadWrite);
        try
        {
            RandomAccess.Write(file, new byte[FileSize], 0);
            RandomAccess.FlushToDisk(file);
            return new FsyncProbe(file, mapped);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Writes the next 128 bytes (appending like the log's tail, wrapping at the end) and syncs.</summary>
    public void WriteAndSync()
    {
        if (_view is null)
        {
            RandomAccess.Write(_file, _record, _offset);
        }
        else
        {
            _view.WriteArray(_offset, _record, 0, _record.Length);
        }

        NativeFile.SyncData(_file);
        _offset = (_offset + WriteSize) % FileSize;
    }

    /// <summary>The average time of <paramref name="syncs"/> write-and-sync rounds.</summary>
    public TimeSpan MeasureAverage(int syncs)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < syncs; i++)
        {
            WriteAndSync();
        }

        return Stopwatch.GetElapsedTime(start) / syncs;
    }

    public void Dispose()
    {
        _view?.Dispose();
        _map?.Dispose();
        _file.Dispose();
    }
}
