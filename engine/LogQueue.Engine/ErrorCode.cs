namespace LogQueue.Engine;

/// <summary>
/// Stable numeric error codes. The numbers are part of the wire protocol and of the embedded API:
/// never renumber or reuse one; add new codes at the end of their range.
/// </summary>
public enum ErrorCode
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>An unexpected failure inside LogQueue; the message says what happened.</summary>
    InternalError = 1,

    /// <summary>A parameter or option has a value outside its documented range.</summary>
    InvalidParameterValue = 100,

    /// <summary>A record (body, attributes and ids together) is larger than the configured maximum.</summary>
    MessageTooLong = 101,

    /// <summary>The log or engine has been closed.</summary>
    Closed = 500,

    /// <summary>Stored data failed verification (a CRC mismatch or a broken record) where it cannot be repaired silently.</summary>
    StorageCorrupt = 501,

    /// <summary>A write or flush to disk failed; the log refuses further writes until it is reopened.</summary>
    StorageFailure = 502,

    /// <summary>The storage directory is already open in another process or instance.</summary>
    StorageInUse = 503,
}
