namespace LogQueue.Engine.Queues.Messages;

/// <summary>One message to send.</summary>
/// <param name="Body">The body (at least one byte).</param>
/// <param name="Attributes">Message attributes (validated when built with <see cref="MessageAttributes.Create"/>), or null.</param>
/// <param name="Delay">Per-message delay (0 to 15 minutes); null takes the queue's DelaySeconds. FIFO queues refuse it (queue delay only).</param>
/// <param name="MessageGroupId">
/// The message group (1 to 128 characters of <see cref="FifoIdentifier"/>): required on a FIFO queue, where order is kept per group;
/// optional on a standard queue, where groups are served fairly.
/// </param>
/// <param name="MessageDeduplicationId">
/// FIFO queues only: sends with the same id within the 5-minute deduplication window store one message. Required unless the
/// queue has ContentBasedDeduplication (then the SHA-256 of the body stands in).
/// </param>
public sealed record SendMessageRequest(
    ReadOnlyMemory<byte> Body,
    MessageAttributes? Attributes = null,
    TimeSpan? Delay = null,
    string? MessageGroupId = null,
    string? MessageDeduplicationId = null);
