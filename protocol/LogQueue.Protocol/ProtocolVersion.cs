namespace LogQueue.Protocol;

/// <summary>Protocol versions and the defaults both sides assume before the handshake has said otherwise.</summary>
public static class ProtocolVersion
{
    /// <summary>
    /// The newest version this library speaks; the Hello negotiates the highest both sides speak. Version 2 adds the
    /// deduplication id to each received message (FIFO queues); nothing else differs from version 1.
    /// </summary>
    public const ushort Current = 2;

    /// <summary>The oldest version this library speaks.</summary>
    public const ushort Minimum = 1;

    /// <summary>The first version whose ReceivedMessage carries the message deduplication id.</summary>
    public const ushort ReceivedDeduplicationId = 2;

    /// <summary>The binary protocol's default TCP port.</summary>
    public const int DefaultPort = 7150;

    /// <summary>The largest Hello payload a server reads before the handshake (the name and token are short).</summary>
    public const int MaxHelloPayloadLength = 4096;
}
