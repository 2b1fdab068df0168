using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol.Operations;

/// <summary>The started task: <c>string task handle</c>.</summary>
/// <param name="TaskHandle">Cancels the task.</param>
public sealed record StartMessageMoveTaskResponse(string TaskHandle) : IPayload<StartMessageMoveTaskResponse>
{
    /// <inheritdoc />
    public void Write(ref PayloadWriter writer) => writer.WriteString(TaskHandle);

    /// <inheritdoc />
    public static StartMessageMoveTaskResponse Read(ref PayloadReader reader) => new(reader.ReadString());
}
