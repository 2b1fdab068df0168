using System.Buffers;

namespace LogQueue.Protocol.Codec;

/// <summary>Decodes a whole payload into its type, refusing trailing bytes.</summary>
public static class PayloadDecoder
{
    /// <summary>Decodes <paramref name="payload"/> as a <typeparamref name="T"/>; throws <see cref="ProtocolFormatException"/> when it is not one.</summary>
    public static T Decode<T>(ReadOnlySequence<byte> payload)
        where T : IPayload<T> =>
        Decode<T>(payload, ProtocolVersion.Current);

    /// <summary>Decodes a payload encoded for protocol <paramref name="version"/> (the connection's negotiated one).</summary>
    public static T Decode<T>(ReadOnlySequence<byte> payload, ushort version)
        where T : IPayload<T>
    {
        var reader = new PayloadReader(payload, version);
        T value = T.Read(ref reader);
        reader.EnsureEnd();
        return value;
    }

    /// <summary>Decodes a contiguous payload; byte strings in the result are slices of <paramref name="payload"/>.</summary>
    public static T Decode<T>(ReadOnlyMemory<byte> payload)
        where T : IPayload<T> =>
        Decode<T>(new ReadOnlySequence<byte>(payload), ProtocolVersion.Current);

    /// <summary>Decodes a contiguous payload encoded for protocol <paramref name="version"/>.</summary>
    public static T Decode<T>(ReadOnlyMemory<byte> payload, ushort version)
        where T : IPayload<T> =>
        Decode<T>(new ReadOnlySequence<byte>(payload), version);
}
