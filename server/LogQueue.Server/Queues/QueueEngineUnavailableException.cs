namespace LogQueue.Server.Queues;

/// <summary>The queue engine could not open its storage; the message names the data directory and the cause.</summary>
internal sealed class QueueEngineUnavailableException : Exception
{
    public QueueEngineUnavailableException()
    {
    }

    public QueueEngineUnavailableException(string message)
        : base(message)
    {
    }

    public QueueEngineUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public QueueEngineUnavailableException(string message, Exception innerException, bool inUse)
        : base(message, innerException)
    {
        InUse = inUse;
    }

    /// <summary>True when another process (an embedded engine, say) holds the engine's own lock on the directory.</summary>
    public bool InUse { get; }
}
