namespace LogQueue.Protocol.Codec;

/// <summary>A payload that does not decode: truncated, with trailing bytes, a bad length or bad UTF-8.</summary>
public sealed class ProtocolFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ProtocolFormatException()
    {
    }

    /// <summary>Creates the exception with a message naming what was wrong.</summary>
    public ProtocolFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the decoding error behind it.</summary>
    public ProtocolFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
