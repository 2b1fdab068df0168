using System.Buffers;

namespace LogQueue.Engine.Queues.Messages;

/// <summary>
/// The rule SQS sets for message group ids, deduplication ids and receive request attempt ids: 1 to 128 characters, each
/// a letter or digit of ASCII or one of <c>!"#$%&amp;'()*+,-./:;&lt;=&gt;?@[\]^_`{|}~</c>. ASCII only, so each fits the log's
/// one-byte id length with room to spare.
/// </summary>
public static class FifoIdentifier
{
    /// <summary>The most characters an id may have.</summary>
    public const int MaxLength = 128;

    private static readonly SearchValues<char> Allowed = SearchValues.Create(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~");

    /// <summary>Whether <paramref name="value"/> follows the rule.</summary>
    public static bool IsValid(string? value) =>
        value is { Length: > 0 and <= MaxLength } && !value.AsSpan().ContainsAnyExcept(Allowed);

    /// <summary>Throws <see cref="ErrorCode.InvalidParameterValue"/> naming <paramref name="parameter"/> when <paramref name="value"/> breaks the rule.</summary>
    public static void Validate(string value, string parameter)
    {
        if (!IsValid(value))
        {
            throw new LogQueueException(
                ErrorCode.InvalidParameterValue,
                $"{parameter} must be 1 to {MaxLength} characters of ASCII letters, digits and punctuation; it is {Describe(value)}.");
        }
    }

    private static string Describe(string value) =>
        value.Length == 0 ? "empty" : value.Length > MaxLength ? $"{value.Length} characters long" : $"'{value}'";
}
