using System.Buffers;
using LogQueue.Protocol.Codec;
using LogQueue.Protocol.Operations;

namespace LogQueue.Protocol.Framing;

/// <summary>
/// Writes whole frames: header and payload. Into a <see cref="FrameBuffer"/> the payload is encoded in place
/// and the header filled in after it; into any other <see cref="IBufferWriter{T}"/> through a per-thread
/// scratch buffer and one copy.
/// </summary>
public static class FrameWriter
{
    [ThreadStatic]
    private static FrameBuffer? t_scratch;

    /// <summary>Writes a request frame for the newest protocol version.</summary>
    public static void WriteRequest<TRequest, TResponse>(IBufferWriter<byte> output, uint requestId, TRequest request)
        where TRequest : IRequest<TRequest, TResponse>
        where TResponse : IPayload<TResponse> =>
        Write(output, TRequest.Opcode, FrameFlags.None, requestId, request, ProtocolVersion.Current);

    /// <summary>Writes a request frame for protocol <paramref name="version"/>.</summary>
    public static void WriteRequest<TRequest, TResponse>(IBufferWriter<byte> output, uint requestId, TRequest request, ushort version)
        where TRequest : IRequest<TRequest, TResponse>
        where TResponse : IPayload<TResponse> =>
        Write(output, TRequest.Opcode, FrameFlags.None, requestId, request, version);

    /// <summary>Writes a successful response frame for the newest protocol version.</summary>
    public static void WriteResponse<TResponse>(IBufferWriter<byte> output, Opcode opcode, uint requestId, TResponse response)
        where TResponse : IPayload<TResponse> =>
        Write(output, opcode, FrameFlags.Response, requestId, response, ProtocolVersion.Current);

    /// <summary>Writes a successful response frame for protocol <paramref name="version"/>.</summary>
    public static void WriteResponse<TResponse>(IBufferWriter<byte> output, Opcode opcode, uint requestId, TResponse response, ushort version)
        where TResponse : IPayload<TResponse> =>
        Write(output, opcode, FrameFlags.Response, requestId, response, version);

    /// <summary>Writes an error response frame.</summary>
    public static void WriteError(IBufferWriter<byte> output, Opcode opcode, uint requestId, ErrorCode code, string message) =>
        Write(output, opcode, FrameFlags.Response | FrameFlags.Error, requestId, new ErrorResponse(code, message));

    /// <summary>Writes a frame with the given header fields and payload, for the newest protocol version.</summary>
    public static void Write<TPayload>(IBufferWriter<byte> output, Opcode opcode, FrameFlags flags, uint requestId, TPayload payload)
        where TPayload : IPayload<TPayload> =>
        Write(output, opcode, flags, requestId, payload, ProtocolVersion.Current);

    /// <summary>Writes a frame with the given header fields and payload, encoded for protocol <paramref name="version"/>.</summary>
    public static void Write<TPayload>(IBufferWriter<byte> output, Opcode opcode, FrameFlags flags, uint requestId, TPayload payload, ushort version)
        where TPayload : IPayload<TPayload>
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(payload);
        if (output is FrameBuffer frames)
        {
            WriteInPlace(frames, opcode, flags, requestId, payload, version);
            return;
        }

        FrameBuffer scratch = t_scratch ??= new FrameBuffer();
        try
        {
            WriteInPlace(scratch, opcode, flags, requestId, payload, version);
            output.Write(scratch.WrittenSpan);
        }
        finally
        {
            scratch.Clear();
        }
    }

    private static void WriteInPlace<TPayload>(FrameBuffer output, Opcode opcode, FrameFlags flags, uint requestId, TPayload payload, ushort version)
        where TPayload : IPayload<TPayload>
    {
        int start = output.WrittenCount;
        try
        {
            output.GetSpan(FrameHeader.Size)[..FrameHeader.Size].Clear();
            output.Advance(FrameHeader.Size);
            var writer = new PayloadWriter(output, version);
            payload.Write(ref writer);
            writer.Flush();
            long payloadLength = output.WrittenCount - start - FrameHeader.Size;
            new FrameHeader(checked((int)payloadLength), opcode, flags, requestId).Write(output.WrittenFrom(start));
        }
        catch
        {
            // A payload that cannot be encoded (a string too long, say) leaves no half frame behind.
            output.Truncate(start);
            throw;
        }
    }
}
