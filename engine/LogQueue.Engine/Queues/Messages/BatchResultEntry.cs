namespace LogQueue.Engine.Queues.Messages;

/// <summary>The outcome of one entry of a batch call: a result, or an error with a stable code.</summary>
/// <typeparam name="T">The per-entry result type.</typeparam>
public sealed class BatchResultEntry<T>
{
    private BatchResultEntry(string id, T? result, ErrorCode error, string? message)
    {
        Id = id;
        Result = result;
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

    /// <summary>A successful entry.</summary>
    public static BatchResultEntry<T> Success(string id, T result) => new(id, result, ErrorCode.None, null);

    /// <summary>A failed entry.</summary>
    public static BatchResultEntry<T> Failure(string id, ErrorCode error, string message) => new(id, default, error, message);
}
