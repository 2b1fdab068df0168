using LogQueue.Protocol;
using Microsoft.Extensions.Logging;

namespace LogQueue.Client.Consumers;

/// <summary>What consumers log, through the logger of their <see cref="ConsumeOptions"/>.</summary>
internal static partial class ConsumerLog
{
    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "Receiving from {Queue} failed ({Code}); trying again in {Delay}")]
    public static partial void ReceiveFailed(ILogger logger, Exception exception, string queue, ErrorCode code, TimeSpan delay);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "Handler failed for message {MessageId} from {Queue} (receive {ReceiveCount})")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, MessageId messageId, string queue, int receiveCount);

    [LoggerMessage(EventId = 42, Level = LogLevel.Warning, Message = "Could not {Action} message {MessageId} from {Queue} ({Code}); it will be delivered again")]
    public static partial void SettleFailed(ILogger logger, Exception exception, string action, MessageId messageId, string queue, ErrorCode code);

    [LoggerMessage(EventId = 43, Level = LogLevel.Warning, Message = "Could not extend the visibility of message {MessageId} from {Queue} ({Code})")]
    public static partial void ExtendFailed(ILogger logger, Exception exception, MessageId messageId, string queue, ErrorCode code);
}
