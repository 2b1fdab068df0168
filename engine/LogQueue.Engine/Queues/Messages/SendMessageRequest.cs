namespace LogQueue.Engine.Queues.Messages;

/// <summary>One message to send.</summary>
/// <param name="Body">The body (at least one byte).</param>
/// <param name="Attributes">Message attributes (validated when built with <see cref="MessageAttributes.Create"/>), or null.</param>
/// <param name="Delay">Per-message delay (0 to 15 minutes); null takes the queue's DelaySeconds.</param>
public sealed record SendMessageRequest(
    ReadOnlyMemory<byte> Body,
    MessageAttributes? Attributes = null,
    TimeSpan? Delay = null);
