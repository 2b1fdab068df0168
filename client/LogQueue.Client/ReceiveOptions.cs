namespace LogQueue.Client;

/// <summary>How a receive call asks for messages.</summary>
public sealed record ReceiveOptions
{
    /// <summary>At most this many messages (1 to the server's max batch size). Default 10.</summary>
    public int MaxNumberOfMessages { get; init; } = 10;

    /// <summary>Overrides the queue's visibility timeout (0 to 12 hours); null keeps the queue's.</summary>
    public TimeSpan? VisibilityTimeout { get; init; }

    /// <summary>Long-poll wait (0 to 20 s); null takes the queue's ReceiveMessageWaitTimeSeconds.</summary>
    public TimeSpan? WaitTime { get; init; }

    /// <summary>
    /// FIFO queues: a retried receive with the same id within 5 minutes returns the same messages and receipt handles
    /// while they are still in flight under that receive (1 to 128 ASCII letters, digits and punctuation). Use it when a
    /// receive failed with ConnectionLost or timed out: the first attempt may have put messages in flight, and only the
    /// same id gets them back before their visibility timeout ends. Ignored on a standard queue.
    /// </summary>
    public string? ReceiveRequestAttemptId { get; init; }
}
