using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol.Operations;

/// <summary>The payload of an error response: <c>u16 code, string message</c>.</summary>
/// <param name="Code">The stable error code.</param>
/// <param name="Message">What went wrong, for people.</param>
public sealed record ErrorResponse(ErrorCode Code, string Message) : IPayload<ErrorResponse>
{
    /// <inheritdoc />
    public void Write(ref PayloadWriter writer)
    {
        writer.WriteUInt16((ushort)Code);
        writer.WriteString(ErrorText.Fit(Message));
    }

    /// <inheritdoc />
    public static ErrorResponse Read(ref PayloadReader reader) => new((ErrorCode)reader.ReadUInt16(), reader.ReadString());
}
