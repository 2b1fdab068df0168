namespace LogQueue.Protocol.Codec;

/// <summary>
/// Keeps error messages inside a wire string. A message may quote what the client sent (a 60 KB attribute name,
/// say); cut long, it still says what was wrong, and encoding it can never fail.
/// </summary>
internal static class ErrorText
{
    // 4096 UTF-16 code units are at most 12 KiB of UTF-8: far inside a wire string's 65534 bytes.
    private const int MaxLength = 4096;

    public static string Fit(string? message)
    {
        if (message is null)
        {
            return string.Empty;
        }

        if (message.Length <= MaxLength)
        {
            return message;
        }

        // Do not cut a surrogate pair in half: a lone surrogate would encode as a replacement character.
        int cut = char.IsHighSurrogate(message[MaxLength - 1]) ? MaxLength - 1 : MaxLength;
        return string.Concat(message.AsSpan(0, cut), "... (cut)");
    }
}
