using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol.Operations;

/// <summary>Lists a source queue's move tasks, newest first: <c>string source queue, u16 max results</c> (1 to 10).</summary>
/// <param name="SourceQueue">The dead-letter queue.</param>
/// <param name="MaxResults">How many tasks at most.</param>
public sealed record ListMessageMoveTasksRequest(string SourceQueue, int MaxResults = 1)
    : IRequest<ListMessageMoveTasksRequest, ListMessageMoveTasksResponse>
{
    /// <inheritdoc />
    public static Opcode Opcode => Opcode.ListMessageMoveTasks;

    /// <inheritdoc />
    public void Write(ref PayloadWriter writer)
    {
        writer.WriteString(SourceQueue);
        writer.WriteCount(MaxResults);
    }

    /// <inheritdoc />
    public static ListMessageMoveTasksRequest Read(ref PayloadReader reader) => new(reader.ReadString(), reader.ReadUInt16());
}
