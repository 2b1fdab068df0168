using LogQueue.Engine.IO;

namespace LogQueue.Engine.Queues;

/// <summary>Content-based deduplication: the id that stands in for a missing MessageDeduplicationId.</summary>
internal static class MessageDeduplication
{
    /// <summary>The SHA-256 of the body as 64 lowercase hex digits (SQS hashes the body only, not the attributes).</summary>
    public static string ContentHash(ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[Sha256Digest.Size];
        Sha256Digest.Compute(body, hash);
        return Convert.ToHexStringLower(hash);
    }
}
