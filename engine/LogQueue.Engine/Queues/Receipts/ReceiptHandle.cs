using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;

namespace LogQueue.Engine.Queues.Receipts;

/// <summary>
/// What a receipt handle names: one receive of one message of one queue incarnation. The handle is
/// opaque to clients: 29 bytes, base64url (39 characters).
/// <code>
///  0  u8   version (2; 1 is still accepted)
///  1  i64  queue incarnation id (a queue deleted and recreated under the same name gets a new one)
///  9  i64  message sequence
/// 17  i32  receive count at this receive (each receive makes a new handle; older ones become stale)
/// 21  8    MAC of bytes [0, 21): version 2, SipHash-2-4 (little-endian u64) under a key derived from the data
///          directory's secret (<see cref="EngineSecret.SipHashKey0"/>); version 1, HMAC-SHA256 under the
///          secret itself, first 8 bytes
/// </code>
/// The MAC makes a handle unforgeable: a client cannot make one for a message it never received.
/// Eight bytes are plenty: a forger gets one guess per request, and 2^64 requests are out of reach.
/// Version 2 exists for speed (see <see cref="SipHash24"/>); version 1 handles, minted before an upgrade,
/// are verified as before until their messages are received again.
/// </summary>
/// <param name="QueueIncarnation">The queue's incarnation id.</param>
/// <param name="Sequence">The message's sequence in the queue's log.</param>
/// <param name="ReceiveCount">The message's receive count at the receive that minted this handle.</param>
internal readonly record struct ReceiptHandle(long QueueIncarnation, long Sequence, int ReceiveCount)
{
    private const byte Version = 2;
    private const byte HmacVersion = 1;
    private const int PayloadBytes = 21;
    private const int MacBytes = 8;
    private const int TotalBytes = PayloadBytes + MacBytes;

    /// <summary>The length of every encoded handle, in characters.</summary>
    public static int EncodedLength { get; } = Base64Url.GetEncodedLength(TotalBytes);

    /// <summary>Encodes and signs the handle.</summary>
    public string Encode(EngineSecret secret)
    {
        Span<byte> bytes = stackalloc byte[TotalBytes];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt64LittleEndian(bytes[1..], QueueIncarnation);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[9..], Sequence);
        BinaryPrimitives.WriteInt32LittleEndian(bytes[17..], ReceiveCount);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[PayloadBytes..], SipHash24.Compute(secret.SipHashKey0, secret.SipHashKey1, bytes[..PayloadBytes]));
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>Decodes a handle and checks its MAC; false for anything malformed or forged.</summary>
    public static bool TryDecode(string? text, EngineSecret secret, out ReceiptHandle handle)
    {
        handle = default;
        if (text is null || text.Length != EncodedLength)
        {
            return false;
        }

        // DecodeFromChars reports bad characters as a status; TryDecodeFromChars throws FormatException for them.
        Span<byte> bytes = stackalloc byte[TotalBytes];
        if (Base64Url.DecodeFromChars(text, bytes, out _, out int written) != OperationStatus.Done || written != TotalBytes || bytes[0] is not (Version or HmacVersion))
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[MacBytes];
        if (bytes[0] == Version)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(expected, SipHash24.Compute(secret.SipHashKey0, secret.SipHashKey1, bytes[..PayloadBytes]));
        }
        else
        {
            SignHmac(secret, bytes[..PayloadBytes], expected);
        }

        if (!CryptographicOperations.FixedTimeEquals(expected, bytes[PayloadBytes..]))
        {
            return false;
        }

        handle = new ReceiptHandle(
            BinaryPrimitives.ReadInt64LittleEndian(bytes[1..]),
            BinaryPrimitives.ReadInt64LittleEndian(bytes[9..]),
            BinaryPrimitives.ReadInt32LittleEndian(bytes[17..]));
        return true;
    }

    /// <summary>Encodes and signs the handle in the version 1 form (HMAC-SHA256), as servers before version 2 did.</summary>
    internal string EncodeVersion1(EngineSecret secret)
    {
        Span<byte> bytes = stackalloc byte[TotalBytes];
        bytes[0] = HmacVersion;
        BinaryPrimitives.WriteInt64LittleEndian(bytes[1..], QueueIncarnation);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[9..], Sequence);
        BinaryPrimitives.WriteInt32LittleEndian(bytes[17..], ReceiveCount);
        SignHmac(secret, bytes[..PayloadBytes], bytes[PayloadBytes..]);
        return Base64Url.EncodeToString(bytes);
    }

    // One keyed HMAC context per thread, reused. The one-shot HMACSHA256.HashData sets the key up anew on
    // every call (with OpenSSL 3 an algorithm fetch and a key schedule: about 1.3 us against 0.5 us for a
    // reused context), and every received message is signed once and verified once more when deleted.
    [ThreadStatic]
    private static IncrementalHash? s_threadHmac;

    [ThreadStatic]
    private static EngineSecret? s_threadHmacSecret;

    private static void SignHmac(EngineSecret secret, ReadOnlySpan<byte> payload, Span<byte> mac)
    {
        IncrementalHash hmac = ReferenceEquals(s_threadHmacSecret, secret) && s_threadHmac is { } cached ? cached : CreateThreadHmac(secret);
        Span<byte> full = stackalloc byte[HMACSHA256.HashSizeInBytes];
        try
        {
            hmac.AppendData(payload);
            hmac.GetHashAndReset(full);
        }
        catch
        {
            // A context that may hold part of this payload must never sign another one.
            s_threadHmac = null;
            s_threadHmacSecret = null;
            hmac.Dispose();
            throw;
        }

        full[..MacBytes].CopyTo(mac);
    }

    private static IncrementalHash CreateThreadHmac(EngineSecret secret)
    {
        s_threadHmac?.Dispose();
        s_threadHmac = null;
        var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, secret.Key);
        s_threadHmac = hmac;
        s_threadHmacSecret = secret;
        return hmac;
    }
}
