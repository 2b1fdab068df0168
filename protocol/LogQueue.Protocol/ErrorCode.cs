namespace LogQueue.Protocol;

/// <summary>
/// Stable numeric error codes carried by error responses and failed batch entries. Codes below 400 and from
/// 500 are the queue engine's (a test keeps the two lists equal, number for number); 4xx codes are the
/// protocol's own. Never renumber or reuse one; add new codes at the end of their range.
/// </summary>
public enum ErrorCode : ushort
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


    /// <summary>The frame's opcode is not one this server knows. The connection stays open.</summary>
    UnknownOpcode = 400,

    /// <summary>A payload does not decode (truncated, trailing bytes, a bad length or bad UTF-8). The connection stays open.</summary>
    MalformedPayload = 401,

    /// <summary>A frame's length is over the negotiated maximum. The server closes the connection.</summary>
    FrameTooLarge = 402,

    /// <summary>The header is invalid (reserved flag bits set, a response flag on a request). The server closes the connection.</summary>
    MalformedFrame = 403,

    /// <summary>A request arrived before the Hello handshake, or a second Hello. The server closes the connection.</summary>
    HandshakeRequired = 404,

    /// <summary>Client and server share no protocol version (or the Hello magic is wrong). The server closes the connection.</summary>
    UnsupportedProtocolVersion = 405,

    /// <summary>The credentials in the Hello are missing or wrong. The server closes the connection.</summary>
    AuthenticationFailed = 406,

    /// <summary>The server holds its maximum number of connections. The server closes the connection.</summary>
    TooManyConnections = 407,

    /// <summary>No Hello within the handshake timeout, or no frame within the idle timeout. The server closes the connection.</summary>
    Timeout = 408,

    /// <summary>The server is shutting down; retry against it after restart or elsewhere.</summary>
    ShuttingDown = 409,

    /// <summary>The connection holds too many answers the client has not read; a receive handed its messages back to the queue instead of answering with them.</summary>
    TooManyPendingRequests = 410,

    /// <summary>The connection to the server failed or closed before the response arrived (raised by clients, never sent).</summary>
    ConnectionLost = 411,

    /// <summary>The call's timeout passed before the response arrived (raised by clients, never sent).</summary>
    RequestTimedOut = 412,


    /// <summary>The log or engine has been closed.</summary>
    Closed = 500,

    /// <summary>Stored data failed verification (a CRC mismatch or a broken record) where it cannot be repaired silently.</summary>
    StorageCorrupt = 501,

    /// <summary>A write or flush to disk failed; the log refuses further writes until it is reopened.</summary>
    StorageFailure = 502,

    /// <summary>The storage directory is already open in another process or instance.</summary>
    StorageInUse = 503,
}
