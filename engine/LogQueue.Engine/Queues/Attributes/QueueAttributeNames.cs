namespace LogQueue.Engine.Queues;

/// <summary>The SQS names of queue attributes (case-sensitive), as CreateQueue, SetQueueAttributes and GetQueueAttributes spell them.</summary>
public static class QueueAttributeNames
{
    /// <summary>In GetQueueAttributes: every attribute.</summary>
    public const string All = "All";

    /// <summary>Seconds a received message stays invisible (0..43,200).</summary>
    public const string VisibilityTimeout = "VisibilityTimeout";

    /// <summary>Seconds a message is kept (60..1,209,600).</summary>
    public const string MessageRetentionPeriod = "MessageRetentionPeriod";

    /// <summary>Default delivery delay in seconds (0..900).</summary>
    public const string DelaySeconds = "DelaySeconds";

    /// <summary>Default long-poll wait in seconds (0..20).</summary>
    public const string ReceiveMessageWaitTimeSeconds = "ReceiveMessageWaitTimeSeconds";

    /// <summary>Largest message, body and attributes, in bytes.</summary>
    public const string MaximumMessageSize = "MaximumMessageSize";

    /// <summary>JSON: dead-letter target and maxReceiveCount.</summary>
    public const string RedrivePolicy = "RedrivePolicy";

    /// <summary>JSON: which queues may use this queue as their dead-letter queue.</summary>
    public const string RedriveAllowPolicy = "RedriveAllowPolicy";

    /// <summary>Read-only: creation time, Unix seconds.</summary>
    public const string CreatedTimestamp = "CreatedTimestamp";

    /// <summary>Read-only: time of the last attribute change, Unix seconds.</summary>
    public const string LastModifiedTimestamp = "LastModifiedTimestamp";

    /// <summary>Read-only: the queue's ARN.</summary>
    public const string QueueArn = "QueueArn";

    /// <summary>Read-only: messages available for retrieval.</summary>
    public const string ApproximateNumberOfMessages = "ApproximateNumberOfMessages";

    /// <summary>Read-only: messages in flight.</summary>
    public const string ApproximateNumberOfMessagesNotVisible = "ApproximateNumberOfMessagesNotVisible";

    /// <summary>Read-only: messages not yet due.</summary>
    public const string ApproximateNumberOfMessagesDelayed = "ApproximateNumberOfMessagesDelayed";

    /// <summary>Creation only: whether the queue is FIFO.</summary>
    public const string FifoQueue = "FifoQueue";

    /// <summary>FIFO only: deduplicate by a hash of the body.</summary>
    public const string ContentBasedDeduplication = "ContentBasedDeduplication";

    /// <summary>FIFO only: deduplication per queue or per message group.</summary>
    public const string DeduplicationScope = "DeduplicationScope";

    /// <summary>FIFO only: throughput quota per queue or per message group.</summary>
    public const string FifoThroughputLimit = "FifoThroughputLimit";

    /// <summary>SQS access policy (not supported yet).</summary>
    public const string Policy = "Policy";

    /// <summary>SQS KMS key (not supported yet).</summary>
    public const string KmsMasterKeyId = "KmsMasterKeyId";

    /// <summary>SQS KMS data key reuse period (not supported yet).</summary>
    public const string KmsDataKeyReusePeriodSeconds = "KmsDataKeyReusePeriodSeconds";

    /// <summary>SQS managed server-side encryption (not supported yet).</summary>
    public const string SqsManagedSseEnabled = "SqsManagedSseEnabled";
}
