using System.Text;

namespace LogQueue.Engine.Queues;

/// <summary>
/// The rules SQS sets for a message body: at least one character, and only the characters XML allows
/// (<c>#x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF</c>). The size limit is the
/// queue's (<see cref="QueueAttributes.MaximumMessageSize"/>, body and attributes together).
/// </summary>
public static class MessageBody
{
    /// <summary>Checks a body and returns its size in UTF-8 bytes (which counts toward the message size).</summary>
    /// <exception cref="LogQueueException">
    /// <see cref="ErrorCode.InvalidParameterValue"/> for an empty body; <see cref="ErrorCode.InvalidMessageContents"/>
    /// for a character that is not allowed.
    /// </exception>
    public static int Validate(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body.Length == 0)
        {
            throw Empty();
        }

        int index = XmlCharacters.IndexOfInvalid(body, out int codePoint);
        if (index >= 0)
        {
            throw Invalid(codePoint, index, "character");
        }

        return Encoding.UTF8.GetByteCount(body);
    }

    /// <summary>Checks a body given as UTF-8 bytes (which must be well-formed).</summary>
    /// <exception cref="LogQueueException">As <see cref="Validate(string)"/>; malformed UTF-8 is <see cref="ErrorCode.InvalidMessageContents"/>.</exception>
    public static void Validate(ReadOnlySpan<byte> utf8Body)
    {
        if (utf8Body.IsEmpty)
        {
            throw Empty();
        }

        int index = XmlCharacters.IndexOfInvalidUtf8(utf8Body, out int codePoint);
        if (index >= 0)
        {
            throw Invalid(codePoint, index, "byte");
        }
    }

    private static LogQueueException Empty() =>
        new(ErrorCode.InvalidParameterValue, "The message body is empty; it must have at least 1 character.");

    private static LogQueueException Invalid(int codePoint, int index, string unit) =>
        new(
            ErrorCode.InvalidMessageContents,
            $"The message body has {XmlCharacters.Describe(codePoint)} at {unit} {index}, which is not allowed. The allowed characters are {XmlCharacters.AllowedSet}.");
}
