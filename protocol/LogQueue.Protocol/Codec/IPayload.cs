namespace LogQueue.Protocol.Codec;

/// <summary>A frame payload: encodes itself and decodes a new instance.</summary>
/// <typeparam name="TSelf">The payload type.</typeparam>
public interface IPayload<TSelf>
    where TSelf : IPayload<TSelf>
{
    /// <summary>Writes the payload.</summary>
    void Write(ref PayloadWriter writer);

    /// <summary>Reads a payload; throws <see cref="ProtocolFormatException"/> when the bytes are not one.</summary>
    static abstract TSelf Read(ref PayloadReader reader);
}
