using LogQueue.Engine.Log;

namespace LogQueue.Engine.Queues;

/// <summary>Settings of a <see cref="QueueEngine"/> (bind them with IOptions).</summary>
public sealed class QueueEngineOptions
{
    /// <summary>The data directory. Default <c>./data</c>.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>When a send or delete counts as done. Default <see cref="DurabilityMode.Always"/>.</summary>
    public DurabilityMode Durability { get; set; } = DurabilityMode.Always;

    /// <summary>The background flush period in Interval mode. Default 100 ms.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Segment file size of every queue's message log. Default 64 MiB.</summary>
    public long SegmentCapacity { get; set; } = 64L << 20;

    /// <summary>The most messages one send, receive, delete or change-visibility batch may hold. Default 100 (SQS allows 10).</summary>
    public int MaxBatchSize { get; set; } = 100;

    /// <summary>The most messages in flight per queue; receives past it fail with OverLimit. Default 120,000 (SQS).</summary>
    public int MaxInFlightPerQueue { get; set; } = 120_000;

    /// <summary>The largest MaximumMessageSize a queue may set. Default 1 MiB (SQS); the server may allow more.</summary>
    public int MaxAllowedMessageSize { get; set; } = 1 << 20;

    /// <summary>Throws InvalidParameterValue naming the first setting out of range.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            throw new LogQueueException(ErrorCode.InvalidParameterValue, "DataDirectory must be set.");
        }

        if (MaxBatchSize is < 1 or > 10_000)
        {
            throw new LogQueueException(ErrorCode.InvalidParameterValue, $"MaxBatchSize must be 1 to 10000; it is {MaxBatchSize}.");
        }

        if (MaxInFlightPerQueue < 1)
        {
            throw new LogQueueException(ErrorCode.InvalidParameterValue, $"MaxInFlightPerQueue must be positive; it is {MaxInFlightPerQueue}.");
        }

        if (MaxAllowedMessageSize is < 1024 or > 64 << 20)
        {
            throw new LogQueueException(ErrorCode.InvalidParameterValue, $"MaxAllowedMessageSize must be 1 KiB to 64 MiB; it is {MaxAllowedMessageSize}.");
        }

        LogOptions().Validate();
    }

    /// <summary>The options of one queue's message log.</summary>
    internal SegmentedLogOptions LogOptions() => new()
    {
        // Room for two of the largest records: a smaller capacity is raised, never refused.
        SegmentCapacity = (Math.Max(SegmentCapacity, SegmentHeaderRoom + (MaxRecordSize * 2L)) + 7) & ~7L,
        MaxRecordSize = MaxRecordSize,
        Durability = Durability,
        FlushInterval = FlushInterval,
    };

    private int MaxRecordSize => MaxAllowedMessageSize + AttributeAndIdRoom;

    // A record holds the message (body and attributes, at most MaxAllowedMessageSize as SQS counts them)
    // plus the encoding overhead of the attribute block and the FIFO ids.
    private const int AttributeAndIdRoom = 16 << 10;
    private const int SegmentHeaderRoom = 4096;
}
