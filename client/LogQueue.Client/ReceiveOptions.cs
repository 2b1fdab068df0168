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

    /// <summary>FIFO queues: makes a retried receive return the same messages.</summary>
    public string? ReceiveRequestAttemptId { get; init; }
}
