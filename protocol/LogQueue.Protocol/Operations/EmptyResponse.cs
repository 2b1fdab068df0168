using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol.Operations;

/// <summary>The empty payload of a successful response that carries no result.</summary>
public sealed class EmptyResponse : IPayload<EmptyResponse>
{
    private EmptyResponse()
    {
    }

    /// <summary>The one instance.</summary>
    public static EmptyResponse Instance { get; } = new();

    /// <inheritdoc />
    public void Write(ref PayloadWriter writer)
    {
    }

    /// <inheritdoc />
    public static EmptyResponse Read(ref PayloadReader reader) => Instance;
}
