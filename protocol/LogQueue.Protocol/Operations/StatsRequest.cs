using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol.Operations;

/// <summary>Stats: an empty payload; the response describes the server and each queue.</summary>
public sealed class StatsRequest : IRequest<StatsRequest, StatsResponse>
{
    private StatsRequest()
    {
    }

    /// <summary>The one instance.</summary>
    public static StatsRequest Instance { get; } = new();

    /// <inheritdoc />
    public static Opcode Opcode => Opcode.Stats;

    /// <inheritdoc />
    public void Write(ref PayloadWriter writer)
    {
    }

    /// <inheritdoc />
    public static StatsRequest Read(ref PayloadReader reader) => Instance;
}
