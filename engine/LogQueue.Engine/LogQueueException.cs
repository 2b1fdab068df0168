namespace LogQueue.Engine;

/// <summary>An error with a stable <see cref="ErrorCode"/> and a human-readable message.</summary>
public class LogQueueException : Exception
{
    /// <summary>Creates an error with a code and a message.</summary>
    public LogQueueException(ErrorCode code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    /// <summary>The stable error code.</summary>
    public ErrorCode Code { get; }
}
