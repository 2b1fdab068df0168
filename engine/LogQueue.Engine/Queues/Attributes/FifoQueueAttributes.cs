namespace LogQueue.Engine.Queues;

/// <summary>The attributes only a FIFO queue has; <see cref="QueueAttributes.Fifo"/> is null for a standard queue.</summary>
/// <param name="ContentBasedDeduplication">
/// Whether a send without a MessageDeduplicationId is deduplicated by the SHA-256 of its body; without it such a send is refused.
/// </param>
/// <param name="DeduplicationScope">Whether deduplication ids are unique per queue or per message group.</param>
/// <param name="FifoThroughputLimit">
/// Whether the queue is served as one ordered stream (<see cref="FifoThroughputLimit.PerQueue"/>) or as many independent
/// groups in parallel (<see cref="FifoThroughputLimit.PerMessageGroupId"/>, high-throughput mode, which needs
/// <see cref="DeduplicationScope.MessageGroup"/>).
/// </param>
public sealed record FifoQueueAttributes(
    bool ContentBasedDeduplication = false,
    DeduplicationScope DeduplicationScope = DeduplicationScope.Queue,
    FifoThroughputLimit FifoThroughputLimit = FifoThroughputLimit.PerQueue)
{
    /// <summary>A FIFO queue's attributes at their defaults.</summary>
    public static FifoQueueAttributes Default { get; } = new();

    /// <summary>SQS's string for a deduplication scope.</summary>
    public static string Format(DeduplicationScope scope) => scope == DeduplicationScope.MessageGroup ? "messageGroup" : "queue";

    /// <summary>SQS's string for a throughput limit.</summary>
    public static string Format(FifoThroughputLimit limit) => limit == FifoThroughputLimit.PerMessageGroupId ? "perMessageGroupId" : "perQueue";

    /// <summary>Reads SQS's string for a deduplication scope (case-sensitive, as SQS).</summary>
    public static bool TryParseScope(string? value, out DeduplicationScope scope)
    {
        (bool ok, scope) = value switch
        {
            "queue" => (true, DeduplicationScope.Queue),
            "messageGroup" => (true, DeduplicationScope.MessageGroup),
            _ => (false, DeduplicationScope.Queue),
        };
        return ok;
    }

    /// <summary>Reads SQS's string for a throughput limit (case-sensitive, as SQS).</summary>
    public static bool TryParseLimit(string? value, out FifoThroughputLimit limit)
    {
        (bool ok, limit) = value switch
        {
            "perQueue" => (true, FifoThroughputLimit.PerQueue),
            "perMessageGroupId" => (true, FifoThroughputLimit.PerMessageGroupId),
            _ => (false, FifoThroughputLimit.PerQueue),
        };
        return ok;
    }

    /// <summary>The combination SQS refuses: high-throughput mode deduplicates per message group.</summary>
    internal string? Invalidity() =>
        FifoThroughputLimit == FifoThroughputLimit.PerMessageGroupId && DeduplicationScope != DeduplicationScope.MessageGroup
            ? "FifoThroughputLimit perMessageGroupId needs DeduplicationScope messageGroup"
            : null;
}
