using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol.Operations;

/// <summary>
/// One entry's outcome in a SendMessageBatch response: <c>u16 code</c>, then on success (code 0)
/// <c>MessageId, i64 sequence number</c>, else <c>string message</c>.
/// </summary>
/// <param name="Code">0 on success, else the error code.</param>
/// <param name="ErrorMessage">The error message of a failed entry.</param>
/// <param name="MessageId">The stored message's id.</param>
/// <param name="SequenceNumber">The stored message's sequence.</param>
public readonly record struct SendResult(ErrorCode Code, string? ErrorMessage, MessageId MessageId, long SequenceNumber)
{
    /// <summary>True when the message was stored.</summary>
    public bool Succeeded => Code == ErrorCode.None;

    /// <summary>A stored message's result.</summary>
    public static SendResult Success(MessageId messageId, long sequenceNumber) => new(ErrorCode.None, null, messageId, sequenceNumber);

    /// <summary>A failed entry's result.</summary>
    public static SendResult Failure(ErrorCode code, string message) => new(code, message, default, 0);

    /// <summary>Writes the entry.</summary>
    public void Write(ref PayloadWriter writer)
    {
        writer.WriteUInt16((ushort)Code);
        if (Succeeded)
        {
            MessageId.Write(ref writer);
            writer.WriteInt64(SequenceNumber);
        }
        else
        {
            writer.WriteString(ErrorText.Fit(ErrorMessage));
        }
    }

    /// <summary>Reads an entry.</summary>
    public static SendResult Read(ref PayloadReader reader)
    {
        var code = (ErrorCode)reader.ReadUInt16();
        return code == ErrorCode.None
            ? Success(MessageId.Read(ref reader), reader.ReadInt64())
            : Failure(code, reader.ReadString());
    }
}
