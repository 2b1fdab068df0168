using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LogQueue.Protocol;
using LogQueue.Protocol.Codec;
using LogQueue.Protocol.Framing;
using LogQueue.Protocol.Operations;
using LogQueue.Server.Hosting;

namespace LogQueue.Server.Connections;

internal sealed partial class ProtocolConnection
{
    /// <summary>
    /// The SHA-256 of a configured auth token, or null when none is configured. Tokens are compared by their hashes,
    /// in constant time, so that neither the bytes nor the length of the token leak through response timing.
    /// </summary>
    public static byte[]? HashAuthToken(string? token) =>
        string.IsNullOrEmpty(token) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>Answers the Hello: negotiates the version, checks the token, and tells the client the server's limits.</summary>
    private bool Handshake(in FrameHeader header, ReadOnlySequence<byte> payload)
    {
        // Checked apart from the decode so that a client of another protocol (an HTTP request, say) is told plainly.
        if (payload.Length < HelloRequest.Magic.Length || !StartsWithMagic(payload))
        {
            return RefuseHandshake(header, ErrorCode.UnsupportedProtocolVersion, "The Hello does not start with the magic bytes \"LQUE\"; this port speaks the LogQueue binary protocol.");
        }

        HelloRequest hello;
        try
        {
            hello = PayloadDecoder.Decode<HelloRequest>(payload);
        }
        catch (ProtocolFormatException ex)
        {
            return RefuseHandshake(header, ErrorCode.MalformedPayload, ex.Message);
        }

        // The highest version both sides speak.
        ushort low = Math.Max(hello.MinVersion, ProtocolVersion.Minimum);
        ushort high = Math.Min(hello.MaxVersion, ProtocolVersion.Current);
        if (low > high)
        {
            return RefuseHandshake(
                header,
                ErrorCode.UnsupportedProtocolVersion,
                string.Create(CultureInfo.InvariantCulture, $"The client speaks protocol versions {hello.MinVersion} to {hello.MaxVersion}; this server speaks {ProtocolVersion.Minimum} to {ProtocolVersion.Current}."));
        }

        if (_authTokenHash is not null && !TokenMatches(hello.AuthToken))
        {
            return RefuseHandshake(
                header,
                ErrorCode.AuthenticationFailed,
                hello.AuthToken is null ? "This server requires an auth token in the Hello." : "The auth token is wrong.");
        }

        _handshakeDone = true;
        _outbound.Version = high;
        OnHandshakeDone();
        ConnectionLog.HandshakeDone(_logger, _remote, hello.ClientName, high);
        _outbound.WriteResponse(
            Opcode.Hello,
            header.RequestId,
            new HelloResponse(high, ServerVersion.Current, _options.MaxFrameLength, _options.MaxBatchSize, _options.MaxMessageSize, _options.IdleTimeoutMs));
        return true;
    }

    private bool RefuseHandshake(in FrameHeader header, ErrorCode code, string reason)
    {
        ConnectionLog.HandshakeFailed(_logger, _remote, code, reason);
        _outbound.WriteError(header.Opcode, header.RequestId, code, reason);
        return false;
    }

    private bool TokenMatches(string? token) =>
        token is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(token)), _authTokenHash);

    private static bool StartsWithMagic(ReadOnlySequence<byte> payload)
    {
        Span<byte> magic = stackalloc byte[4];
        payload.Slice(0, magic.Length).CopyTo(magic);
        return magic.SequenceEqual(HelloRequest.Magic);
    }
}
