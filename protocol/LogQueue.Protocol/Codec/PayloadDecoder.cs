using System.Buffers;

namespace LogQueue.Protocol.Codec;

/// <summary>Decodes a whole payload into its type, refusing trailing bytes.</summary>
public static class PayloadDecoder
{
    /// <summary>Decodes <paramref name="payload"/> as a <typeparamref name="T"/>; throws <see cref="ProtocolFormatException"/> when it is not one.</summary>
    public static T Decode<T>(ReadOnlySequence<byte> payload)
        where T : IPayload<T>
    {
        var reader = new PayloadReader(payload);
        T value = T.Read(ref reader);
        reader.EnsureEnd();
        return value;
    }

    /// <summary>Decodes a contiguous payload; byte strings in the result are slices of <paramref name="payload"/>.</summary>
    public static T Decode<T>(ReadOnlyMemory<byte> payload)
        where T : IPayload<T> =>
        Decode<T>(new ReadOnlySequence<byte>(payload));
}
