using LogQueue.Protocol;

namespace LogQueue.Client;

/// <summary>A call the server (or the embedded engine) refused or could not complete, with its stable error code.</summary>
public class LogQueueException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LogQueueException()
        : this(ErrorCode.InternalError, "LogQueue call failed.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public LogQueueException(string message)
        : this(ErrorCode.InternalError, message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public LogQueueException(string message, Exception innerException)
        : this(ErrorCode.InternalError, message, innerException)
    {
    }

    /// <summary>Creates the exception with the error code and message the server sent.</summary>
    public LogQueueException(ErrorCode code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    /// <summary>The stable error code (docs/protocol.md, "Error codes").</summary>
    public ErrorCode Code { get; }
}
