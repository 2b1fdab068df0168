using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol.Operations;

/// <summary>
/// A move task's state: <c>string task handle, string source, string? destination, string status, i64 moved,
/// i64 to move, i32 max per second (-1: none), i64 started timestamp, string? failure reason</c>.
/// </summary>
/// <param name="TaskHandle">Cancels the task.</param>
/// <param name="SourceQueue">The queue messages move from.</param>
/// <param name="DestinationQueue">The queue they move to, or null for their source queues.</param>
/// <param name="Status">RUNNING, COMPLETED, CANCELLING, CANCELLED or FAILED.</param>
/// <param name="ApproximateNumberOfMessagesMoved">Moved so far.</param>
/// <param name="ApproximateNumberOfMessagesToMove">In the source when the task started.</param>
/// <param name="MaxNumberOfMessagesPerSecond">The rate limit, or null.</param>
/// <param name="StartedTimestamp">When the task started, Unix milliseconds.</param>
/// <param name="FailureReason">Why a FAILED task stopped.</param>
public readonly record struct MessageMoveTask(
    string TaskHandle,
    string SourceQueue,
    string? DestinationQueue,
    string Status,
    long ApproximateNumberOfMessagesMoved,
    long ApproximateNumberOfMessagesToMove,
    int? MaxNumberOfMessagesPerSecond,
    long StartedTimestamp,
    string? FailureReason)
{
    /// <summary>Writes the task.</summary>
    public void Write(ref PayloadWriter writer)
    {
        writer.WriteString(TaskHandle);
        writer.WriteString(SourceQueue);
        writer.WriteNullableString(DestinationQueue);
        writer.WriteString(Status);
        writer.WriteInt64(ApproximateNumberOfMessagesMoved);
        writer.WriteInt64(ApproximateNumberOfMessagesToMove);
        writer.WriteInt32(MaxNumberOfMessagesPerSecond ?? -1);
        writer.WriteInt64(StartedTimestamp);
        writer.WriteNullableString(FailureReason);
    }

    /// <summary>Reads a task.</summary>
    public static MessageMoveTask Read(ref PayloadReader reader)
    {
        string handle = reader.ReadString();
        string source = reader.ReadString();
        string? destination = reader.ReadNullableString();
        string status = reader.ReadString();
        long moved = reader.ReadInt64();
        long toMove = reader.ReadInt64();
        int rate = reader.ReadInt32();
        long started = reader.ReadInt64();
        return new MessageMoveTask(handle, source, destination, status, moved, toMove, rate == -1 ? null : rate, started, reader.ReadNullableString());
    }
}
