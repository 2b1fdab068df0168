namespace LogQueue.Protocol.Framing;

/// <summary>What <see cref="FrameReader.TryReadFrame"/> found at the start of a buffer.</summary>
public enum FrameReadStatus
{
    /// <summary>Not a whole frame yet: read more bytes and try again.</summary>
    Incomplete,

    /// <summary>A whole frame; the buffer has been advanced past it.</summary>
    Complete,

    /// <summary>The header announces more payload than the maximum; the connection must be closed without reading it.</summary>
    TooLarge,

    /// <summary>The header sets reserved flag bits; the stream cannot be trusted and must be closed.</summary>
    Malformed,
}
