namespace LogQueue.Engine.Queues;

/// <summary>Which source queues may use a queue as their dead-letter queue (SQS <c>redrivePermission</c>).</summary>
public enum RedrivePermission
{
    /// <summary><c>allowAll</c>: any queue may (the default when a queue has no redrive allow policy).</summary>
    AllowAll = 0,

    /// <summary><c>denyAll</c>: no queue may.</summary>
    DenyAll = 1,

    /// <summary><c>byQueue</c>: only the listed source queues may.</summary>
    ByQueue = 2,
}
