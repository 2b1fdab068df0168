using System.Globalization;

namespace LogQueue.Engine.Queues;

/// <summary>
/// A queue's attributes, immutable (<see cref="Fifo"/> holds a FIFO queue's own). Durations are whole seconds and sizes bytes, as SQS states them;
/// the ranges are in <see cref="QueueLimits"/>. Instances come from <see cref="CreateDefault"/>,
/// <see cref="ForCreateQueue"/> (CreateQueue's string attributes) and <see cref="WithChanges"/>
/// (SetQueueAttributes'), which check every value, so an instance always holds valid settings.
/// </summary>
/// <remarks>
/// Equality covers the settable attributes only, not the timestamps: two queues with equal attributes are
/// configured alike. For CreateQueue of a name that exists, SQS's rule is narrower: it fails only when the
/// request <em>names</em> an attribute whose value differs, which is <see cref="FindConflict"/>.
/// </remarks>
public sealed partial class QueueAttributes : IEquatable<QueueAttributes>
{
    private QueueAttributes(
        int visibilityTimeout,
        int messageRetentionPeriod,
        int delaySeconds,
        int receiveMessageWaitTimeSeconds,
        int maximumMessageSize,
        RedrivePolicy? redrivePolicy,
        RedriveAllowPolicy? redriveAllowPolicy,
        FifoQueueAttributes? fifo,
        long createdTimestamp,
        long lastModifiedTimestamp)
    {
        Fifo = fifo;
        VisibilityTimeout = visibilityTimeout;
        MessageRetentionPeriod = messageRetentionPeriod;
        DelaySeconds = delaySeconds;
        ReceiveMessageWaitTimeSeconds = receiveMessageWaitTimeSeconds;
        MaximumMessageSize = maximumMessageSize;
        RedrivePolicy = redrivePolicy;
        RedriveAllowPolicy = redriveAllowPolicy;
        CreatedTimestamp = createdTimestamp;
        LastModifiedTimestamp = lastModifiedTimestamp;
    }

    /// <summary>Seconds a received message stays invisible to other receivers (0..43,200; default 30).</summary>
    public int VisibilityTimeout { get; }

    /// <summary>Seconds a message is kept before it is dropped unreceived (60..1,209,600; default 345,600 = 4 days).</summary>
    public int MessageRetentionPeriod { get; }

    /// <summary>Seconds a new message waits before it can be received, unless the send says otherwise (0..900; default 0).</summary>
    public int DelaySeconds { get; }

    /// <summary>Seconds a receive waits for messages, unless the receive says otherwise (0..20; default 0).</summary>
    public int ReceiveMessageWaitTimeSeconds { get; }

    /// <summary>Largest message, body and attributes as SQS counts them, in bytes (1,024..1,048,576 or the engine's maximum; default 1,048,576).</summary>
    public int MaximumMessageSize { get; }

    /// <summary>The dead-letter rule, or null for none.</summary>
    public RedrivePolicy? RedrivePolicy { get; }

    /// <summary>Which queues may dead-letter into this one, or null for none (which allows all).</summary>
    public RedriveAllowPolicy? RedriveAllowPolicy { get; }

    /// <summary>A FIFO queue's own attributes; null for a standard queue. Whether a queue is FIFO is fixed at creation.</summary>
    public FifoQueueAttributes? Fifo { get; }

    /// <summary>Whether this is a FIFO queue (SQS's <c>FifoQueue</c>).</summary>
    public bool FifoQueue => Fifo is not null;

    /// <summary>When the queue was created, Unix seconds. Read-only.</summary>
    public long CreatedTimestamp { get; }

    /// <summary>When the attributes were last set, Unix seconds (the creation time until then). Read-only.</summary>
    public long LastModifiedTimestamp { get; }

    /// <summary>Every attribute at its default, created and modified at <paramref name="now"/>.</summary>
    public static QueueAttributes CreateDefault(DateTimeOffset now)
    {
        long seconds = now.ToUnixTimeSeconds();
        return new QueueAttributes(
            QueueLimits.DefaultVisibilityTimeout,
            QueueLimits.DefaultMessageRetentionPeriod,
            QueueLimits.DefaultDelaySeconds,
            QueueLimits.DefaultReceiveMessageWaitTimeSeconds,
            QueueLimits.DefaultMaximumMessageSize,
            redrivePolicy: null,
            redriveAllowPolicy: null,
            fifo: null,
            seconds,
            seconds);
    }

    /// <summary>
    /// The attributes as GetQueueAttributes returns them: numbers as integer strings, policies as compact JSON
    /// with queues as ARNs; policies only when set. <c>QueueArn</c> and the approximate counts are the queue's
    /// to add.
    /// </summary>
    public IReadOnlyDictionary<string, string> ToSqsAttributes()
    {
        var attributes = new Dictionary<string, string>(9, StringComparer.Ordinal)
        {
            [QueueAttributeNames.VisibilityTimeout] = Format(VisibilityTimeout),
            [QueueAttributeNames.MessageRetentionPeriod] = Format(MessageRetentionPeriod),
            [QueueAttributeNames.DelaySeconds] = Format(DelaySeconds),
            [QueueAttributeNames.ReceiveMessageWaitTimeSeconds] = Format(ReceiveMessageWaitTimeSeconds),
            [QueueAttributeNames.MaximumMessageSize] = Format(MaximumMessageSize),
            [QueueAttributeNames.CreatedTimestamp] = Format(CreatedTimestamp),
            [QueueAttributeNames.LastModifiedTimestamp] = Format(LastModifiedTimestamp),
        };
        if (RedrivePolicy is not null)
        {
            attributes[QueueAttributeNames.RedrivePolicy] = RedrivePolicy.ToJson();
        }

        if (RedriveAllowPolicy is not null)
        {
            attributes[QueueAttributeNames.RedriveAllowPolicy] = RedriveAllowPolicy.ToJson();
        }

        if (Fifo is not null)
        {
            attributes[QueueAttributeNames.FifoQueue] = "true";
            attributes[QueueAttributeNames.ContentBasedDeduplication] = Fifo.ContentBasedDeduplication ? "true" : "false";
            attributes[QueueAttributeNames.DeduplicationScope] = FifoQueueAttributes.Format(Fifo.DeduplicationScope);
            attributes[QueueAttributeNames.FifoThroughputLimit] = FifoQueueAttributes.Format(Fifo.FifoThroughputLimit);
        }

        return attributes;
    }

    /// <summary>Whether the settable attributes are equal (timestamps are not compared).</summary>
    public bool Equals(QueueAttributes? other) => other is not null && FirstDifference(other) is null;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as QueueAttributes);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(
        VisibilityTimeout, MessageRetentionPeriod, DelaySeconds, ReceiveMessageWaitTimeSeconds, MaximumMessageSize, RedrivePolicy, RedriveAllowPolicy, Fifo);

    /// <summary>Rebuilds stored attributes; null and a reason when a value is out of range (the caller reports corruption).</summary>
    internal static QueueAttributes? Restore(
        int visibilityTimeout,
        int messageRetentionPeriod,
        int delaySeconds,
        int receiveMessageWaitTimeSeconds,
        int maximumMessageSize,
        RedrivePolicy? redrivePolicy,
        RedriveAllowPolicy? redriveAllowPolicy,
        FifoQueueAttributes? fifo,
        long createdTimestamp,
        long lastModifiedTimestamp,
        out string? reason)
    {
        // The maximum message size has no upper bound here: the engine may have allowed more when the queue was made.
        reason =
            !InRange(visibilityTimeout, 0, QueueLimits.MaxVisibilityTimeout) ? Describe(QueueAttributeNames.VisibilityTimeout, visibilityTimeout)
            : !InRange(messageRetentionPeriod, QueueLimits.MinMessageRetentionPeriod, QueueLimits.MaxMessageRetentionPeriod) ? Describe(QueueAttributeNames.MessageRetentionPeriod, messageRetentionPeriod)
            : !InRange(delaySeconds, 0, QueueLimits.MaxDelaySeconds) ? Describe(QueueAttributeNames.DelaySeconds, delaySeconds)
            : !InRange(receiveMessageWaitTimeSeconds, 0, QueueLimits.MaxReceiveMessageWaitTimeSeconds) ? Describe(QueueAttributeNames.ReceiveMessageWaitTimeSeconds, receiveMessageWaitTimeSeconds)
            : maximumMessageSize < QueueLimits.MinMaximumMessageSize ? Describe(QueueAttributeNames.MaximumMessageSize, maximumMessageSize)
            : fifo?.Invalidity() is { } fifoReason ? fifoReason
            : createdTimestamp < 0 || lastModifiedTimestamp < createdTimestamp ? $"timestamps created {createdTimestamp}, last modified {lastModifiedTimestamp} are out of order"
            : null;
        return reason is not null
            ? null
            : new QueueAttributes(
                visibilityTimeout,
                messageRetentionPeriod,
                delaySeconds,
                receiveMessageWaitTimeSeconds,
                maximumMessageSize,
                redrivePolicy,
                redriveAllowPolicy,
                fifo,
                createdTimestamp,
                lastModifiedTimestamp);

        static string Describe(string attribute, long value) => $"{attribute} {value} is out of range";
    }

    /// <summary>The SQS name of the first settable attribute that differs, or null when all are equal.</summary>
    private string? FirstDifference(QueueAttributes other) =>
        VisibilityTimeout != other.VisibilityTimeout ? QueueAttributeNames.VisibilityTimeout
        : MessageRetentionPeriod != other.MessageRetentionPeriod ? QueueAttributeNames.MessageRetentionPeriod
        : DelaySeconds != other.DelaySeconds ? QueueAttributeNames.DelaySeconds
        : ReceiveMessageWaitTimeSeconds != other.ReceiveMessageWaitTimeSeconds ? QueueAttributeNames.ReceiveMessageWaitTimeSeconds
        : MaximumMessageSize != other.MaximumMessageSize ? QueueAttributeNames.MaximumMessageSize
        : !Equals(RedrivePolicy, other.RedrivePolicy) ? QueueAttributeNames.RedrivePolicy
        : !Equals(RedriveAllowPolicy, other.RedriveAllowPolicy) ? QueueAttributeNames.RedriveAllowPolicy
        : (Fifo is null) != (other.Fifo is null) ? QueueAttributeNames.FifoQueue
        : Fifo is null || other.Fifo is null ? null
        : Fifo.ContentBasedDeduplication != other.Fifo.ContentBasedDeduplication ? QueueAttributeNames.ContentBasedDeduplication
        : Fifo.DeduplicationScope != other.Fifo.DeduplicationScope ? QueueAttributeNames.DeduplicationScope
        : Fifo.FifoThroughputLimit != other.Fifo.FifoThroughputLimit ? QueueAttributeNames.FifoThroughputLimit
        : null;

    private static bool InRange(long value, long min, long max) => value >= min && value <= max;

    private static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
}
