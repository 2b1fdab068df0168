using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace LogQueue.Engine.Queues;

/// <summary>
/// A message's user attributes, checked against SQS's rules, in ordinal order of their names. Immutable.
/// </summary>
/// <remarks>
/// The rules (<see cref="Create"/> enforces them):
/// <list type="bullet">
/// <item>at most 10 attributes;</item>
/// <item>names: 1 to 256 characters of <c>A-Z a-z 0-9 _ - .</c>, case-sensitive, not starting with <c>AWS.</c>
/// or <c>Amazon.</c> in any case, no <c>..</c>, not starting or ending with a period;</item>
/// <item>data type: <c>String</c>, <c>Number</c> or <c>Binary</c>, optionally followed by a period and a custom
/// part (at most 256 bytes in all, the characters a body may have);</item>
/// <item>String: a non-empty string of the characters a body may have (<see cref="MessageBody"/>);</item>
/// <item>Number: a decimal number, at most 38 significant digits, magnitude 0 or 10^-128 to 10^126;</item>
/// <item>Binary: at least one byte.</item>
/// </list>
/// Their <see cref="Size"/> counts toward the maximum message size the way SQS counts it: for each attribute,
/// the UTF-8 bytes of the name, of the data type and of the value (the bytes themselves for Binary).
/// </remarks>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "SQS's name for a message's attribute set.")]
public sealed class MessageAttributes : IReadOnlyDictionary<string, MessageAttributeValue>
{
    /// <summary>Most attributes a message may have.</summary>
    public const int MaxCount = 10;

    /// <summary>Longest attribute name, in characters (which are ASCII, so also bytes).</summary>
    public const int MaxNameLength = 256;

    /// <summary>Longest data type, in UTF-8 bytes.</summary>
    public const int MaxDataTypeLength = 256;

    private readonly Entry[] _entries;

    private MessageAttributes(Entry[] entries)
    {
        _entries = entries;
        long size = 0;
        foreach (Entry entry in entries)
        {
            size += entry.Size;
        }

        Size = size;
    }

    /// <summary>No attributes.</summary>
    public static MessageAttributes Empty { get; } = new([]);

    /// <summary>The attributes' size as SQS counts it toward the maximum message size: name, data type and value bytes of each.</summary>
    public long Size { get; }

    /// <inheritdoc />
    public int Count => _entries.Length;

    /// <summary>The names, in ordinal order.</summary>
    public IEnumerable<string> Keys => _entries.Select(e => e.Name);

    /// <summary>The values, in ordinal order of their names.</summary>
    public IEnumerable<MessageAttributeValue> Values => _entries.Select(e => e.Value);

    /// <summary>The entries in ordinal order of name, with their measured sizes.</summary>
    internal ReadOnlySpan<Entry> Entries => _entries;

    /// <inheritdoc />
    public MessageAttributeValue this[string key] =>
        TryGetValue(key, out MessageAttributeValue? value) ? value : throw new KeyNotFoundException($"No message attribute '{key}'.");

    /// <summary>Checks attributes against SQS's rules and keeps them in ordinal order of name.</summary>
    /// <param name="attributes">The attributes, or null for none.</param>
    /// <exception cref="LogQueueException">
    /// <see cref="ErrorCode.InvalidParameterValue"/> for too many attributes, a bad or repeated name, a bad data type,
    /// a missing or mismatched value or a malformed Number; <see cref="ErrorCode.InvalidMessageContents"/> for a
    /// character that is not allowed in a String value or data type.
    /// </exception>
    public static MessageAttributes Create(IEnumerable<KeyValuePair<string, MessageAttributeValue>>? attributes)
    {
        if (attributes is null)
        {
            return Empty;
        }

        var entries = new List<Entry>(attributes.TryGetNonEnumeratedCount(out int count) ? Math.Min(count, MaxCount + 1) : 4);
        foreach ((string name, MessageAttributeValue value) in attributes)
        {
            if (entries.Count == MaxCount)
            {
                int total = attributes.TryGetNonEnumeratedCount(out int known) ? known : attributes.Count();
                throw new LogQueueException(ErrorCode.InvalidParameterValue, $"A message may have at most {MaxCount} attributes; this one has {total}.");
            }

            CheckName(name);
            entries.Add(Measure(name, value));
        }

        if (entries.Count == 0)
        {
            return Empty;
        }

        entries.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        for (int i = 1; i < entries.Count; i++)
        {
            if (string.Equals(entries[i - 1].Name, entries[i].Name, StringComparison.Ordinal))
            {
                throw new LogQueueException(ErrorCode.InvalidParameterValue, $"Message attribute name '{entries[i].Name}' is given more than once.");
            }
        }

        return new MessageAttributes([.. entries]);
    }

    /// <inheritdoc />
    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out MessageAttributeValue value)
    {
        int index = IndexOf(key);
        value = index >= 0 ? _entries[index].Value : null;
        return index >= 0;
    }

    /// <summary>The attributes in ordinal order of name.</summary>
    public IEnumerator<KeyValuePair<string, MessageAttributeValue>> GetEnumerator()
    {
        foreach (Entry entry in _entries)
        {
            yield return new KeyValuePair<string, MessageAttributeValue>(entry.Name, entry.Value);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Wraps entries already known to be valid and in strict ordinal order of name (decoded from storage).</summary>
    internal static MessageAttributes FromSortedEntries(Entry[] entries) => entries.Length == 0 ? Empty : new MessageAttributes(entries);

    private int IndexOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        for (int i = 0; i < _entries.Length; i++)
        {
            if (string.Equals(_entries[i].Name, key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private static void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw BadName(name ?? string.Empty, "is empty; a name has 1 to 256 characters");
        }

        if (name.Length > MaxNameLength)
        {
            throw BadName(name, $"has {name.Length} characters; the most is {MaxNameLength}");
        }

        int bad = name.AsSpan().IndexOfAnyExcept(NameCharacters);
        if (bad >= 0)
        {
            throw BadName(name, $"has the character #x{(int)name[bad]:X} at index {bad}; a name may hold only A-Z, a-z, 0-9, underscore (_), hyphen (-) and period (.)");
        }

        if (name.StartsWith("AWS.", StringComparison.OrdinalIgnoreCase) || name.StartsWith("Amazon.", StringComparison.OrdinalIgnoreCase))
        {
            throw BadName(name, "starts with a prefix SQS reserves (AWS. or Amazon., in any case)");
        }

        if (name[0] == '.' || name[^1] == '.')
        {
            throw BadName(name, "starts or ends with a period, which is not allowed");
        }

        if (name.Contains("..", StringComparison.Ordinal))
        {
            throw BadName(name, "has two periods in a row, which is not allowed");
        }
    }

    private static Entry Measure(string name, MessageAttributeValue? value)
    {
        if (value is null)
        {
            throw new LogQueueException(ErrorCode.InvalidParameterValue, $"Message attribute '{name}' has no value.");
        }

        string dataType = value.DataType;
        if (value.BaseType == MessageAttributeDataType.None || dataType.Length == MessageAttributeValue.BaseTypeLength + 1)
        {
            throw new LogQueueException(
                ErrorCode.InvalidParameterValue,
                $"Message attribute '{name}' has the data type {AttributeValueError.Quote(dataType)}, which is not valid: a data type is String, Number or Binary, optionally followed by a period and a custom part (String.url).");
        }

        int invalid = XmlCharacters.IndexOfInvalid(dataType, out int codePoint);
        if (invalid >= 0)
        {
            throw new LogQueueException(
                ErrorCode.InvalidMessageContents,
                $"The data type of message attribute '{name}' has {XmlCharacters.Describe(codePoint)} at index {invalid}, which is not allowed. The allowed characters are {XmlCharacters.AllowedSet}.");
        }

        int dataTypeBytes = Encoding.UTF8.GetByteCount(dataType);
        if (dataTypeBytes > MaxDataTypeLength)
        {
            throw new LogQueueException(
                ErrorCode.InvalidParameterValue,
                $"The data type of message attribute '{name}' is {dataTypeBytes} bytes long; the most is {MaxDataTypeLength}.");
        }

        int valueBytes;
        if (value.BaseType == MessageAttributeDataType.Binary)
        {
            if (value.StringValue is not null)
            {
                throw Mismatch(name, $"is of type {dataType} and must not have a StringValue");
            }

            if (value.BinaryValue.IsEmpty)
            {
                throw Mismatch(name, $"must have a non-empty BinaryValue (its type is {dataType})");
            }

            valueBytes = value.BinaryValue.Length;
        }
        else
        {
            if (!value.BinaryValue.IsEmpty)
            {
                throw Mismatch(name, $"is of type {dataType} and must not have a BinaryValue");
            }

            if (string.IsNullOrEmpty(value.StringValue))
            {
                throw Mismatch(name, $"must have a non-empty StringValue (its type is {dataType})");
            }

            CheckStringValue(name, value.BaseType, value.StringValue);
            valueBytes = Encoding.UTF8.GetByteCount(value.StringValue);
        }

        return new Entry(name, value, dataTypeBytes, valueBytes);
    }

    private static void CheckStringValue(string name, MessageAttributeDataType type, string text)
    {
        if (type == MessageAttributeDataType.Number)
        {
            string? reason = MessageAttributeNumber.Check(text);
            if (reason is not null)
            {
                throw new LogQueueException(
                    ErrorCode.InvalidParameterValue,
                    $"Message attribute '{name}' of type Number has the value {AttributeValueError.Quote(text)}, which is not valid: {reason}.");
            }

            return;
        }

        int invalid = XmlCharacters.IndexOfInvalid(text, out int codePoint);
        if (invalid >= 0)
        {
            throw new LogQueueException(
                ErrorCode.InvalidMessageContents,
                $"The value of message attribute '{name}' has {XmlCharacters.Describe(codePoint)} at index {invalid}, which is not allowed. The allowed characters are {XmlCharacters.AllowedSet}.");
        }
    }

    private static LogQueueException BadName(string name, string reason) =>
        new(ErrorCode.InvalidParameterValue, $"Message attribute name {AttributeValueError.Quote(name)} {reason}.");

    private static LogQueueException Mismatch(string name, string reason) =>
        new(ErrorCode.InvalidParameterValue, $"Message attribute '{name}' {reason}.");

    private static readonly System.Buffers.SearchValues<char> NameCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.");

    /// <summary>One validated attribute with its UTF-8 sizes; the name is ASCII, so its byte count is its length.</summary>
    internal readonly struct Entry
    {
        public Entry(string name, MessageAttributeValue value, int dataTypeByteCount, int valueByteCount)
        {
            Name = name;
            Value = value;
            DataTypeByteCount = dataTypeByteCount;
            ValueByteCount = valueByteCount;
        }

        public string Name { get; }

        public MessageAttributeValue Value { get; }

        public int DataTypeByteCount { get; }

        public int ValueByteCount { get; }

        /// <summary>The bytes of the custom part after "String." etc., 0 when there is none.</summary>
        public int CustomTypeByteCount => DataTypeByteCount == MessageAttributeValue.BaseTypeLength ? 0 : DataTypeByteCount - MessageAttributeValue.BaseTypeLength - 1;

        /// <summary>Size as SQS counts it.</summary>
        public long Size => (long)Name.Length + DataTypeByteCount + ValueByteCount;
    }
}
