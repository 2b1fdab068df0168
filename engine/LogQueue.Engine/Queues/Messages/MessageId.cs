using System.Globalization;

namespace LogQueue.Engine.Queues.Messages;

/// <summary>
/// A message's id: its queue incarnation and sequence, shown as a UUID-shaped string
/// (<c>iiiiiiii-iiii-iiii-ssss-ssssssssssss</c>: 64 bits of incarnation, 64 of sequence). Derived, never
/// stored, so it costs no space and is the same after any restart.
/// </summary>
/// <param name="QueueIncarnation">The queue incarnation id.</param>
/// <param name="Sequence">The message's sequence number.</param>
public readonly record struct MessageId(long QueueIncarnation, long Sequence)
{
    /// <summary>The UUID-shaped form.</summary>
    public override string ToString()
    {
        ulong q = unchecked((ulong)QueueIncarnation);
        ulong s = unchecked((ulong)Sequence);
        return string.Create(36, (q, s), static (span, v) =>
        {
            Span<char> hex = stackalloc char[32];
            v.q.TryFormat(hex, out _, "x16", CultureInfo.InvariantCulture);
            v.s.TryFormat(hex[16..], out _, "x16", CultureInfo.InvariantCulture);
            hex[..8].CopyTo(span);
            span[8] = '-';
            hex[8..12].CopyTo(span[9..]);
            span[13] = '-';
            hex[12..16].CopyTo(span[14..]);
            span[18] = '-';
            hex[16..20].CopyTo(span[19..]);
            span[23] = '-';
            hex[20..].CopyTo(span[24..]);
        });
    }

    /// <summary>Parses the UUID-shaped form.</summary>
    public static bool TryParse(string? text, out MessageId id)
    {
        id = default;
        if (text is null || text.Length != 36 || text[8] != '-' || text[13] != '-' || text[18] != '-' || text[23] != '-')
        {
            return false;
        }

        string hex = string.Concat(text.AsSpan(0, 8), text.AsSpan(9, 4), text.AsSpan(14, 4), string.Concat(text.AsSpan(19, 4), text.AsSpan(24, 12)));
        if (!ulong.TryParse(hex.AsSpan(0, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong q)
            || !ulong.TryParse(hex.AsSpan(16, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong s))
        {
            return false;
        }

        id = new MessageId(unchecked((long)q), unchecked((long)s));
        return true;
    }
}
