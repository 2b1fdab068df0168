using Microsoft.Extensions.Logging;

namespace LogQueue.Client;

/// <summary>How <see cref="QueueClient.ConsumeAsync"/> and <see cref="QueueClient.ProcessAsync"/> receive and settle messages.</summary>
public sealed class ConsumeOptions
{
    /// <summary>At most this many messages per receive (1 to the server's max batch size). Default 10.</summary>
    public int MaxMessagesPerReceive { get; set; } = 10;

    /// <summary>The long-poll wait of each receive (0 to 20 s). Default 20 s: an idle consumer costs one request per 20 s.</summary>
    public TimeSpan WaitTime { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The visibility timeout each receive asks for. <see cref="QueueClient.ProcessAsync"/> extends it by this much
    /// every half of it while a handler runs, so a slow handler keeps its message however long it takes. Default 30 s.
    /// </summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Handlers <see cref="QueueClient.ProcessAsync"/> runs at once. Default 1 (one message at a time).</summary>
    public int MaxConcurrency { get; set; } = 1;

    /// <summary>
    /// When a handler throws: true (the default) hands the message back after <see cref="RetryDelay"/>, so a retry
    /// does not wait out the rest of the visibility timeout; false leaves it to become visible when the timeout
    /// passes. Either way the queue's redrive policy (maxReceiveCount) is what stops a message that always fails.
    /// </summary>
    public bool ReleaseOnFailure { get; set; } = true;

    /// <summary>How long a failed message stays invisible when released. Default 0: visible again at once.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.Zero;

    /// <summary>The pause after a receive fails (connection lost, queue missing) before trying again. Default 1 s.</summary>
    public TimeSpan ErrorDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Where handler failures and receive errors are logged; null logs nothing.</summary>
    public ILogger? Logger { get; set; }

    /// <summary>The clock for visibility extension and error pauses. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (MaxMessagesPerReceive < 1)
        {
            throw new ArgumentException($"MaxMessagesPerReceive must be at least 1; it is {MaxMessagesPerReceive}.", nameof(MaxMessagesPerReceive));
        }

        if (MaxConcurrency < 1)
        {
            throw new ArgumentException($"MaxConcurrency must be at least 1; it is {MaxConcurrency}.", nameof(MaxConcurrency));
        }

        if (VisibilityTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("VisibilityTimeout must be positive: a consumer extends it while its handler runs.", nameof(VisibilityTimeout));
        }

        if (WaitTime < TimeSpan.Zero || RetryDelay < TimeSpan.Zero || ErrorDelay < TimeSpan.Zero)
        {
            throw new ArgumentException("WaitTime, RetryDelay and ErrorDelay must not be negative.");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
