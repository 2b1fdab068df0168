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

    /// <summary>An attribute name is not one this operation knows.</summary>
    InvalidAttributeName = 102,

    /// <summary>An attribute value is outside its documented range or format.</summary>
    InvalidAttributeValue = 103,

    /// <summary>A limit was reached (for example, the number of messages in flight).</summary>
    OverLimit = 104,

    /// <summary>A batch holds more entries than allowed.</summary>
    TooManyEntriesInBatchRequest = 105,

    /// <summary>Two entries of one batch share an id.</summary>
    BatchEntryIdsNotDistinct = 106,

    /// <summary>A batch holds no entries.</summary>
    EmptyBatchRequest = 107,

    /// <summary>A batch entry id is empty, too long or has characters outside A-Z a-z 0-9 - _.</summary>
    InvalidBatchEntryId = 108,

    /// <summary>The entries of a batch are larger together than the maximum message size.</summary>
    BatchRequestTooLong = 109,

    /// <summary>A message body or attribute holds characters that are not allowed.</summary>
    InvalidMessageContents = 110,

    /// <summary>A required parameter is missing.</summary>
    MissingParameter = 111,

    /// <summary>The operation is not supported for this queue or in this version.</summary>
    UnsupportedOperation = 112,

    /// <summary>The named queue does not exist.</summary>
    QueueDoesNotExist = 200,

    /// <summary>A queue of that name exists with different attributes.</summary>
    QueueNameExists = 201,

    /// <summary>A purge of this queue ran less than 60 seconds ago.</summary>
    PurgeQueueInProgress = 202,

    /// <summary>The named resource (for example a message move task) does not exist.</summary>
    ResourceNotFound = 203,

    /// <summary>The receipt handle is malformed, forged, or belongs to another queue.</summary>
    ReceiptHandleIsInvalid = 300,

    /// <summary>The message is not in flight (its receipt handle is stale, or it became visible again).</summary>
    MessageNotInflight = 301,

    /// <summary>The log or engine has been closed.</summary>
    Closed = 500,

    /// <summary>Stored data failed verification (a CRC mismatch or a broken record) where it cannot be repaired silently.</summary>
    StorageCorrupt = 501,

    /// <summary>A write or flush to disk failed; the log refuses further writes until it is reopened.</summary>
    StorageFailure = 502,

    /// <summary>The storage directory is already open in another process or instance.</summary>
    StorageInUse = 503,
}
