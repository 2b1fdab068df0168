using LogQueue.Protocol;
using Microsoft.Extensions.Logging;

namespace LogQueue.Client.Connections;

internal sealed partial class LogQueueConnection
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Connected to {Connection} (socket {Generation}), server {ServerVersion}, protocol {Version}")]
    private partial void LogConnected(string connection, long generation, string serverVersion, ushort version);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Lost the connection to {Connection} (socket {Generation}) with {InFlight} calls waiting: {Cause}")]
    private partial void LogConnectionLost(string connection, long generation, int inFlight, string cause);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Connecting to {Connection} failed (attempt {Attempt}); retrying in {DelayMs:0} ms: {Reason}")]
    private partial void LogConnectFailed(string connection, int attempt, double delayMs, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "Dropped a response from {Connection} for request {RequestId} ({Opcode}): its caller stopped waiting")]
    private partial void LogLateResponseDropped(string connection, uint requestId, Opcode opcode);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "{Connection} says: {Notice}")]
    private partial void LogServerNotice(string connection, string notice);

    [LoggerMessage(EventId = 6, Level = LogLevel.Debug, Message = "Keep-alive ping on {Connection} failed: {Reason}")]
    private partial void LogKeepAliveFailed(string connection, string reason);

    [LoggerMessage(EventId = 7, Level = LogLevel.Trace, Message = "{Connection}: coalesced {Count} sends to {Queue} into one batch frame")]
    private partial void LogSendsCoalesced(string connection, int count, string queue);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "{Connection}: {Count} sends the dropped socket never carried go out on socket {Generation}")]
    private partial void LogUnwrittenSendsRequeued(string connection, int count, long generation);
}
