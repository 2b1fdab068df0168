using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol.Operations;

/// <summary>
/// Starts moving a dead-letter queue's messages: <c>string source queue, string? destination queue (null: each
/// back to where it came from), i32 max messages per second (-1: no limit)</c>.
/// </summary>
/// <param name="SourceQueue">The dead-letter queue.</param>
/// <param name="DestinationQueue">Where to move them, or null for their source queues.</param>
/// <param name="MaxNumberOfMessagesPerSecond">A rate limit, or null for none.</param>
public sealed record StartMessageMoveTaskRequest(string SourceQueue, string? DestinationQueue = null, int? MaxNumberOfMessagesPerSecond = null)
    : IRequest<StartMessageMoveTaskRequest, StartMessageMoveTaskResponse>
{
    /// <inheritdoc />
    public static Opcode Opcode => Opcode.StartMessageMoveTask;

    /// <inheritdoc />
    public void Write(ref PayloadWriter writer)
    {
        writer.WriteString(SourceQueue);
        writer.WriteNullableString(DestinationQueue);
        writer.WriteInt32(MaxNumberOfMessagesPerSecond ?? -1);
    }

    /// <inheritdoc />
    public static StartMessageMoveTaskRequest Read(ref PayloadReader reader)
    {
        string source = reader.ReadString();
        string? destination = reader.ReadNullableString();
        int rate = reader.ReadInt32();
        return new StartMessageMoveTaskRequest(source, destination, rate == -1 ? null : rate);
    }
}
