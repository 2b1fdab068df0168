using LogQueue.Protocol;

namespace LogQueue.Server.Tests.Infrastructure;

/// <summary>An error response, raised by <see cref="RawProtocolConnection.CallAsync{TRequest, TResponse}"/>.</summary>
public sealed class ProtocolErrorException : Exception
{
    public ProtocolErrorException()
    {
    }

    public ProtocolErrorException(string message)
        : base(message)
    {
    }

    public ProtocolErrorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ProtocolErrorException(ErrorCode code, string message)
        : base(message)
    {
        Code = code;
    }

    public ErrorCode Code { get; }

    public override string ToString() => $"{Code}: {Message}";
}
