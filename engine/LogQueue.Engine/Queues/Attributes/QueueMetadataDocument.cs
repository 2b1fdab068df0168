using System.Text.Json.Serialization;

namespace LogQueue.Engine.Queues;

/// <summary>
/// The JSON shape of <c>queue.json</c>, format version 1 (see <see cref="QueueMetadata"/>). Queues are stored
/// by name, not ARN, so a later change of the rendered region or account leaves the files valid.
/// </summary>
internal sealed class QueueMetadataDocument
{
    [JsonRequired]
    public int Version { get; set; }

    [JsonRequired]
    public string Name { get; set; } = string.Empty;

    /// <summary>16 lowercase hex digits.</summary>
    [JsonRequired]
    public string IncarnationId { get; set; } = string.Empty;

    /// <summary>Unix seconds.</summary>
    [JsonRequired]
    public long CreatedTimestamp { get; set; }

    /// <summary>Unix seconds.</summary>
    [JsonRequired]
    public long LastModifiedTimestamp { get; set; }

    [JsonRequired]
    public AttributesDocument Attributes { get; set; } = new();

    /// <summary>The settable attributes, in SQS units.</summary>
    internal sealed class AttributesDocument
    {
        [JsonRequired]
        public int VisibilityTimeout { get; set; }

        [JsonRequired]
        public int MessageRetentionPeriod { get; set; }

        [JsonRequired]
        public int DelaySeconds { get; set; }

        [JsonRequired]
        public int ReceiveMessageWaitTimeSeconds { get; set; }

        [JsonRequired]
        public int MaximumMessageSize { get; set; }

        public RedrivePolicyDocument? RedrivePolicy { get; set; }

        public RedriveAllowPolicyDocument? RedriveAllowPolicy { get; set; }

        /// <summary>A FIFO queue's own attributes; absent for a standard queue.</summary>
        public FifoDocument? Fifo { get; set; }
    }

    /// <summary>A FIFO queue's attributes, with SQS's strings for the scope and the limit.</summary>
    internal sealed class FifoDocument
    {
        [JsonRequired]
        public bool ContentBasedDeduplication { get; set; }

        [JsonRequired]
        public string DeduplicationScope { get; set; } = string.Empty;

        [JsonRequired]
        public string FifoThroughputLimit { get; set; } = string.Empty;
    }

    /// <summary>A redrive policy; the target by name.</summary>
    internal sealed class RedrivePolicyDocument
    {
        [JsonRequired]
        public string DeadLetterTarget { get; set; } = string.Empty;

        [JsonRequired]
        public int MaxReceiveCount { get; set; }
    }

    /// <summary>A redrive allow policy; permission as SQS spells it, sources by name.</summary>
    internal sealed class RedriveAllowPolicyDocument
    {
        [JsonRequired]
        public string RedrivePermission { get; set; } = string.Empty;

        public List<string>? SourceQueues { get; set; }
    }

    /// <summary>Just the version, read first so a file of another version is reported as such.</summary>
    internal sealed class VersionProbe
    {
        public int Version { get; set; }
    }
}
