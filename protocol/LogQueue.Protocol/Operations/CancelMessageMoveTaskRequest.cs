using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol.Operations;

/// <summary>Cancels a running move task: <c>string task handle</c>.</summary>
/// <param name="TaskHandle">The handle StartMessageMoveTask returned.</param>
public sealed record CancelMessageMoveTaskRequest(string TaskHandle) : IRequest<CancelMessageMoveTaskRequest, CancelMessageMoveTaskResponse>
{
    /// <inheritdoc />
    public static Opcode Opcode => Opcode.CancelMessageMoveTask;

    /// <inheritdoc />
    public void Write(ref PayloadWriter writer) => writer.WriteString(TaskHandle);

    /// <inheritdoc />
    public static CancelMessageMoveTaskRequest Read(ref PayloadReader reader) => new(reader.ReadString());
}
