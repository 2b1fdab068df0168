namespace LogQueue.Protocol;

/// <summary>Protocol versions and the defaults both sides assume before the handshake has said otherwise.</summary>
public static class ProtocolVersion
{
    /// <summary>The version this library speaks. A later version is negotiated in the Hello.</summary>
    public const ushort Current = 1;

    /// <summary>The oldest version this library speaks.</summary>
    public const ushort Minimum = 1;

    /// <summary>The binary protocol's default TCP port.</summary>
    public const int DefaultPort = 7150;

    /// <summary>The largest Hello payload a server reads before the handshake (the name and token are short).</summary>
    public const int MaxHelloPayloadLength = 4096;
}
