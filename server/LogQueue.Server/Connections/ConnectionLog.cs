using LogQueue.Protocol;
using Microsoft.Extensions.Logging;

namespace LogQueue.Server.Connections;

/// <summary>The protocol connections' log messages; event ids 300-349.</summary>
internal static partial class ConnectionLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Debug, Message = "Connection {ConnectionId} from {RemoteEndPoint} opened")]
    public static partial void Opened(ILogger logger, string connectionId, string remoteEndPoint);

    [LoggerMessage(EventId = 301, Level = LogLevel.Debug, Message = "Connection {ConnectionId} from {RemoteEndPoint} closed after {Requests} requests")]
    public static partial void Closed(ILogger logger, string connectionId, string remoteEndPoint, long requests);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Refused a connection from {RemoteEndPoint}: the server already holds its maximum of {MaxConnections} connections")]
    public static partial void TooManyConnections(ILogger logger, string remoteEndPoint, int maxConnections);

    [LoggerMessage(EventId = 303, Level = LogLevel.Information, Message = "Handshake with {RemoteEndPoint} failed ({Code}): {Reason}")]
    public static partial void HandshakeFailed(ILogger logger, string remoteEndPoint, ErrorCode code, string reason);

    [LoggerMessage(EventId = 304, Level = LogLevel.Information, Message = "Closing the connection from {RemoteEndPoint} on a protocol error ({Code}): {Reason}")]
    public static partial void ProtocolViolation(ILogger logger, string remoteEndPoint, ErrorCode code, string reason);

    [LoggerMessage(EventId = 305, Level = LogLevel.Debug, Message = "Handshake with {RemoteEndPoint} done: client '{ClientName}', protocol version {Version}")]
    public static partial void HandshakeDone(ILogger logger, string remoteEndPoint, string clientName, ushort version);

    [LoggerMessage(EventId = 306, Level = LogLevel.Error, Message = "Request {Opcode} (id {RequestId}) from {RemoteEndPoint} failed unexpectedly; the client got an InternalError")]
    public static partial void RequestFailed(ILogger logger, Opcode opcode, uint requestId, string remoteEndPoint, Exception exception);

    [LoggerMessage(EventId = 307, Level = LogLevel.Error, Message = "The connection from {RemoteEndPoint} failed unexpectedly and was closed")]
    public static partial void ConnectionFailed(ILogger logger, string remoteEndPoint, Exception exception);

    [LoggerMessage(EventId = 308, Level = LogLevel.Warning, Message = "The connection from {RemoteEndPoint} still had {Pending} requests or unsent responses {Seconds} s after shutdown began; aborting it")]
    public static partial void AbandonedAtShutdown(ILogger logger, string remoteEndPoint, int pending, double seconds);

    [LoggerMessage(EventId = 309, Level = LogLevel.Information, Message = "Closing the connection from {RemoteEndPoint}: {Reason}")]
    public static partial void TimedOut(ILogger logger, string remoteEndPoint, string reason);
}
