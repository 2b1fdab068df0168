using LogQueue.Engine.Log;

namespace LogQueue.Engine.Queues.Journal;

/// <summary>Settings of one <see cref="QueueStateJournal"/>.</summary>
public sealed class QueueStateJournalOptions
{
    /// <summary>
    /// When an append counts as done; the queue passes its own mode, so a delete is acknowledged under the
    /// same rule as a send. Default <see cref="DurabilityMode.Always"/>.
    /// </summary>
    public DurabilityMode Durability { get; set; } = DurabilityMode.Always;

    /// <summary>The background flush period in <see cref="DurabilityMode.Interval"/> mode. Default 100 ms.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The size of each journal segment file. Default 1 MiB: about 50,000 entries, so a checkpoint frees
    /// space in small steps and a quiet queue's journal costs little disk (a segment and a spare).
    /// </summary>
    public long SegmentCapacity { get; set; } = 1L << 20;

    /// <summary>
    /// The largest journal record body. Default 64 KiB: over 3,000 entries, more than any receive or delete
    /// batch; a larger batch is split over several records (see <see cref="QueueStateJournal.TryAppend"/>).
    /// </summary>
    public int MaxRecordSize { get; set; } = 64 << 10;

    /// <summary>
    /// <see cref="QueueStateJournal.ShouldCheckpoint"/> turns true once this many entries were appended since
    /// the last checkpoint. Default 100,000.
    /// </summary>
    public long CheckpointEntryThreshold { get; set; } = 100_000;

    /// <summary>
    /// <see cref="QueueStateJournal.ShouldCheckpoint"/> turns true once this many journal bytes (or, if more,
    /// as many bytes as the last checkpoint file holds) were appended since the last checkpoint. Default 4 MiB.
    /// Tying it to the checkpoint's size keeps the cost of checkpoints proportional to the journal traffic
    /// when the state is large.
    /// </summary>
    public long CheckpointByteThreshold { get; set; } = 4L << 20;

    /// <summary>Throws <see cref="LogQueueException"/> (InvalidParameterValue) naming the first setting out of range.</summary>
    public void Validate()
    {
        if (MaxRecordSize < JournalEntryFormat.MinRecordSize)
        {
            throw Invalid($"MaxRecordSize must be at least {JournalEntryFormat.MinRecordSize} bytes; it is {MaxRecordSize}.");
        }

        if (CheckpointEntryThreshold < 1)
        {
            throw Invalid($"CheckpointEntryThreshold must be positive; it is {CheckpointEntryThreshold}.");
        }

        if (CheckpointByteThreshold < 1)
        {
            throw Invalid($"CheckpointByteThreshold must be positive; it is {CheckpointByteThreshold}.");
        }

        ToLogOptions().Validate();
    }

    internal SegmentedLogOptions ToLogOptions() => new()
    {
        SegmentCapacity = SegmentCapacity,
        MaxRecordSize = MaxRecordSize,
        Durability = Durability,
        FlushInterval = FlushInterval,

        // Replay reads every record anyway; checking every CRC on the way costs little with segments this
        // small, and a damaged sealed segment must not be replayed as if it were good.
        VerifyAllSegments = true,
        SealedSegmentCorruption = SealedSegmentCorruptionPolicy.Fail,
        SpareSegments = 1,
        RecycleSegments = true,
    };

    private static LogQueueException Invalid(string message) => new(ErrorCode.InvalidParameterValue, message);
}
