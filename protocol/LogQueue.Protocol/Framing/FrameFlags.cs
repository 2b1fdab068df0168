namespace LogQueue.Protocol.Framing;

/// <summary>Bits of a frame header's flags field. Bits not named here are reserved and must be zero.</summary>
[Flags]
public enum FrameFlags : ushort
{
    /// <summary>A request (client to server).</summary>
    None = 0,

    /// <summary>A response (server to client); its request id is the request's.</summary>
    Response = 0x0001,

    /// <summary>With <see cref="Response"/>: the payload is an error (code and message) instead of the operation's result.</summary>
    Error = 0x0002,
}
