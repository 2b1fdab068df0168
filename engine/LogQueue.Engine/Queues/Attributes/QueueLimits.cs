namespace LogQueue.Engine.Queues;

/// <summary>
/// Defaults and ranges of the queue attributes, the values SQS uses (DESIGN.md, "Limits and defaults").
/// Durations are in seconds and sizes in bytes, as SQS states them.
/// </summary>
public static class QueueLimits
{
    /// <summary>Default visibility timeout: 30 seconds.</summary>
    public const int DefaultVisibilityTimeout = 30;

    /// <summary>Longest visibility timeout: 12 hours.</summary>
    public const int MaxVisibilityTimeout = 43_200;

    /// <summary>Default retention: 4 days.</summary>
    public const int DefaultMessageRetentionPeriod = 345_600;

    /// <summary>Shortest retention: 1 minute.</summary>
    public const int MinMessageRetentionPeriod = 60;

    /// <summary>Longest retention: 14 days.</summary>
    public const int MaxMessageRetentionPeriod = 1_209_600;

    /// <summary>Default delivery delay: none.</summary>
    public const int DefaultDelaySeconds = 0;

    /// <summary>Longest delivery delay, for the queue default and per message: 15 minutes.</summary>
    public const int MaxDelaySeconds = 900;

    /// <summary>Default long-poll wait: none (short polling).</summary>
    public const int DefaultReceiveMessageWaitTimeSeconds = 0;

    /// <summary>Longest long-poll wait: 20 seconds.</summary>
    public const int MaxReceiveMessageWaitTimeSeconds = 20;

    /// <summary>Smallest maximum message size: 1 KiB.</summary>
    public const int MinMaximumMessageSize = 1_024;

    /// <summary>
    /// Default and, unless the engine is configured to allow more, largest maximum message size (body and
    /// attributes): 1 MiB, SQS's value since 2025 (it was 256 KiB before).
    /// </summary>
    public const int DefaultMaximumMessageSize = 1_048_576;

    /// <summary>Fewest receives a redrive policy may allow before it moves a message.</summary>
    public const int MinMaxReceiveCount = 1;

    /// <summary>Most receives a redrive policy may allow before it moves a message.</summary>
    public const int MaxMaxReceiveCount = 1_000;

    /// <summary>Most source queues a <c>byQueue</c> redrive allow policy may list.</summary>
    public const int MaxRedriveSourceQueues = 10;
}
