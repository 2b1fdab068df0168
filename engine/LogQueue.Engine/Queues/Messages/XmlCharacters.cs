using System.Buffers;
using System.Text;

namespace LogQueue.Engine.Queues;

/// <summary>
/// The characters SQS allows in message bodies and string attribute values, which are XML 1.0's:
/// <c>#x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF</c>. A lone surrogate is
/// not a character and is refused (it could not be encoded as UTF-8 faithfully either).
/// </summary>
internal static class XmlCharacters
{
    /// <summary>The allowed set, as SQS words it in its errors.</summary>
    public const string AllowedSet = "#x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF";

    /// <summary>The index of the first character not allowed, or -1; <paramref name="codePoint"/> is that UTF-16 unit.</summary>
    public static int IndexOfInvalid(ReadOnlySpan<char> text, out int codePoint)
    {
        int i = 0;
        while (true)
        {
            // Nearly all text is in #x20..#xD7FF: skip it vectorized, look closely at the rest.
            int skip = text[i..].IndexOfAnyExceptInRange('\u0020', '\uD7FF');
            if (skip < 0)
            {
                codePoint = 0;
                return -1;
            }

            i += skip;
            char c = text[i];
            if (c is '\t' or '\n' or '\r' or (>= '\uE000' and <= '\uFFFD'))
            {
                i++;
            }
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i += 2;
            }
            else
            {
                codePoint = c;
                return i;
            }
        }
    }

    /// <summary>
    /// The byte index of the first character not allowed in UTF-8 <paramref name="utf8"/>, or -1;
    /// <paramref name="codePoint"/> is the character, or -1 where the bytes are not well-formed UTF-8.
    /// </summary>
    public static int IndexOfInvalidUtf8(ReadOnlySpan<byte> utf8, out int codePoint)
    {
        int i = 0;
        while (true)
        {
            int skip = utf8[i..].IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E);
            if (skip < 0)
            {
                codePoint = 0;
                return -1;
            }

            i += skip;
            if (Rune.DecodeFromUtf8(utf8[i..], out Rune rune, out int consumed) != OperationStatus.Done)
            {
                codePoint = -1;
                return i;
            }

            if (!IsAllowed(rune.Value))
            {
                codePoint = rune.Value;
                return i;
            }

            i += consumed;
        }
    }

    /// <summary>Describes a refused character for an error message.</summary>
    public static string Describe(int codePoint) => codePoint < 0 ? "bytes that are not valid UTF-8" : $"the character #x{codePoint:X}";

    private static bool IsAllowed(int c) =>
        c is 0x9 or 0xA or 0xD or (>= 0x20 and <= 0xD7FF) or (>= 0xE000 and <= 0xFFFD) or (>= 0x10000 and <= 0x10FFFF);
}
