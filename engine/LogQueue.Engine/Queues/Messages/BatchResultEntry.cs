namespace LogQueue.Engine.Queues.Messages;

/// <summary>The outcome of one entry of a batch call: a result, or an error with a stable code.</summary>
/// <typeparam name="T">The per-entry result type.</typeparam>
public sealed class BatchResultEntry<T>
{
    internal BatchResultEntry(string id, T result)
    {
        Id = id;
        Result = result;
    }

    internal BatchResultEntry(string id, ErrorCode error, string message)
    {
        Id = id;
        Error = error;
        ErrorMessage = message;
    }

    /// <summary>The entry id the caller gave.</summary>
    public string Id { get; }

    /// <summary>The result when <see cref="Succeeded"/>.</summary>
    public T? Result { get; }

    /// <summary>The error code; <see cref="ErrorCode.None"/> on success.</summary>
    public ErrorCode Error { get; }

    /// <summary>A human-readable message for a failed entry.</summary>
    public string? ErrorMessage { get; }

    /// <summary>True when the entry succeeded.</summary>
    public bool Succeeded => Error == ErrorCode.None;
}
