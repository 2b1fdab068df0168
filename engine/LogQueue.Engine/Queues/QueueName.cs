using System.Diagnostics.CodeAnalysis;

namespace LogQueue.Engine.Queues;

/// <summary>
/// A valid queue name, as SQS defines one: 1 to 80 characters of <c>A-Z a-z 0-9 - _</c>; a FIFO queue's
/// name ends in <c>.fifo</c>, and the suffix counts toward the 80. Names are case-sensitive.
/// </summary>
public sealed class QueueName : IEquatable<QueueName>
{
    /// <summary>The most characters a queue name may have, the <c>.fifo</c> suffix included.</summary>
    public const int MaxLength = 80;

    /// <summary>The suffix that marks a FIFO queue's name.</summary>
    public const string FifoSuffix = ".fifo";

    /// <summary>The rule, worded for error messages.</summary>
    internal const string Rule =
        "A queue name has 1 to 80 characters of A-Z, a-z, 0-9, hyphen (-) and underscore (_); "
        + "a FIFO queue's name ends in .fifo, which counts toward the 80";

    private QueueName(string value, bool isFifo)
    {
        Value = value;
        IsFifo = isFifo;
    }

    /// <summary>The name.</summary>
    public string Value { get; }

    /// <summary>Whether the name ends in <c>.fifo</c>, which makes it the name of a FIFO queue.</summary>
    public bool IsFifo { get; }

    /// <summary>Checks and wraps a queue name.</summary>
    /// <exception cref="LogQueueException"><see cref="ErrorCode.InvalidParameterValue"/> when the name breaks the rule.</exception>
    public static QueueName Parse(string? value)
    {
        if (!TryParse(value, out QueueName? name))
        {
            throw new LogQueueException(ErrorCode.InvalidParameterValue, $"Queue name {AttributeValueError.Quote(value)} is invalid. {Rule}.");
        }

        return name;
    }

    /// <summary>Checks and wraps a queue name without throwing.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out QueueName? name)
    {
        name = null;
        if (value is null or { Length: 0 or > MaxLength })
        {
            return false;
        }

        bool isFifo = value.EndsWith(FifoSuffix, StringComparison.Ordinal);
        ReadOnlySpan<char> stem = isFifo ? value.AsSpan(0, value.Length - FifoSuffix.Length) : value;
        if (stem.IsEmpty || !IsNameCharacters(stem))
        {
            return false;
        }

        name = new QueueName(value, isFifo);
        return true;
    }

    /// <inheritdoc />
    public bool Equals(QueueName? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as QueueName);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <summary>The name.</summary>
    public override string ToString() => Value;

    /// <summary>Whether two names are the same (ordinal, case-sensitive).</summary>
    public static bool operator ==(QueueName? left, QueueName? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Whether two names differ (ordinal, case-sensitive).</summary>
    public static bool operator !=(QueueName? left, QueueName? right) => !(left == right);

    /// <summary>Orders names by ordinal comparison, for stable lists.</summary>
    internal static int CompareOrdinal(QueueName left, QueueName right) => string.CompareOrdinal(left.Value, right.Value);

    private static bool IsNameCharacters(ReadOnlySpan<char> stem)
    {
        foreach (char c in stem)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }
}
