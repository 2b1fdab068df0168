using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol.Operations;

/// <summary>Ping: an empty payload, answered at once with an empty response.</summary>
public sealed class PingRequest : IRequest<PingRequest, EmptyResponse>
{
    private PingRequest()
    {
    }

    /// <summary>The one instance.</summary>
    public static PingRequest Instance { get; } = new();

    /// <inheritdoc />
    public static Opcode Opcode => Opcode.Ping;

    /// <inheritdoc />
    public void Write(ref PayloadWriter writer)
    {
    }

    /// <inheritdoc />
    public static PingRequest Read(ref PayloadReader reader) => Instance;
}
