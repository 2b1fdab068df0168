namespace LogQueue.Protocol.Codec;

/// <summary>A request payload, bound to its opcode and to the payload of its successful response.</summary>
/// <typeparam name="TSelf">The request type.</typeparam>
/// <typeparam name="TResponse">The response type.</typeparam>
public interface IRequest<TSelf, TResponse> : IPayload<TSelf>
    where TSelf : IRequest<TSelf, TResponse>
    where TResponse : IPayload<TResponse>
{
    /// <summary>The request's opcode.</summary>
    static abstract Opcode Opcode { get; }
}
