namespace LogQueue.Engine.Queues;

/// <summary>
/// One message attribute's value, as SQS has it: a data type (<c>String</c>, <c>Number</c> or <c>Binary</c>,
/// optionally with a custom part after a period, such as <c>String.url</c>) and a string or binary value.
/// Creating a value checks nothing beyond null arguments; <see cref="MessageAttributes.Create"/> checks the
/// SQS rules for a whole set, naming the attribute in its errors.
/// </summary>
/// <remarks>A binary value is kept by reference: do not change its bytes after passing them in.</remarks>
public sealed class MessageAttributeValue : IEquatable<MessageAttributeValue>
{
    /// <summary>Creates a value.</summary>
    /// <param name="dataType">The data type, e.g. <c>String</c>, <c>Number</c>, <c>Binary</c>, <c>String.url</c>.</param>
    /// <param name="stringValue">For String and Number types: the value.</param>
    /// <param name="binaryValue">For Binary types: the value.</param>
    public MessageAttributeValue(string dataType, string? stringValue, ReadOnlyMemory<byte> binaryValue = default)
    {
        ArgumentNullException.ThrowIfNull(dataType);
        DataType = dataType;
        StringValue = stringValue;
        BinaryValue = binaryValue;
        BaseType = ParseBaseType(dataType);
    }

    /// <summary>The data type as given, custom part included.</summary>
    public string DataType { get; }

    /// <summary>The base type the data type starts with, or <see cref="MessageAttributeDataType.None"/> when it is not a valid data type.</summary>
    public MessageAttributeDataType BaseType { get; }

    /// <summary>The custom part of the data type after the period (<c>url</c> in <c>String.url</c>), or null.</summary>
    public string? CustomType => BaseType != MessageAttributeDataType.None && DataType.Length > BaseTypeLength ? DataType[(BaseTypeLength + 1)..] : null;

    /// <summary>The value of a String or Number attribute; null for Binary.</summary>
    public string? StringValue { get; }

    /// <summary>The value of a Binary attribute; empty for String and Number.</summary>
    public ReadOnlyMemory<byte> BinaryValue { get; }

    /// <summary>Every base type name ("String", "Number", "Binary") has this many characters.</summary>
    internal const int BaseTypeLength = 6;

    /// <summary>A String attribute (data type <c>String</c> or <c>String.</c><paramref name="customType"/>).</summary>
    public static MessageAttributeValue FromString(string value, string? customType = null) =>
        new(WithCustomType("String", customType), value ?? throw new ArgumentNullException(nameof(value)));

    /// <summary>A Number attribute (data type <c>Number</c> or <c>Number.</c><paramref name="customType"/>); the value is the number's text.</summary>
    public static MessageAttributeValue FromNumber(string value, string? customType = null) =>
        new(WithCustomType("Number", customType), value ?? throw new ArgumentNullException(nameof(value)));

    /// <summary>A Binary attribute (data type <c>Binary</c> or <c>Binary.</c><paramref name="customType"/>).</summary>
    public static MessageAttributeValue FromBinary(ReadOnlyMemory<byte> value, string? customType = null) =>
        new(WithCustomType("Binary", customType), null, value);

    /// <summary>Same data type and same value (ordinal strings, byte-wise binary).</summary>
    public bool Equals(MessageAttributeValue? other) =>
        other is not null
        && string.Equals(DataType, other.DataType, StringComparison.Ordinal)
        && string.Equals(StringValue, other.StringValue, StringComparison.Ordinal)
        && BinaryValue.Span.SequenceEqual(other.BinaryValue.Span);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as MessageAttributeValue);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(DataType, StringComparer.Ordinal);
        hash.Add(StringValue, StringComparer.Ordinal);
        hash.AddBytes(BinaryValue.Span);
        return hash.ToHashCode();
    }

    /// <summary>The data type and a short form of the value, for logs and test output.</summary>
    public override string ToString() =>
        StringValue is not null ? $"{DataType}: {StringValue}" : $"{DataType}: {BinaryValue.Length} bytes";

    private static MessageAttributeDataType ParseBaseType(string dataType)
    {
        if (dataType.Length < BaseTypeLength || (dataType.Length > BaseTypeLength && dataType[BaseTypeLength] != '.'))
        {
            return MessageAttributeDataType.None;
        }

        return dataType.AsSpan(0, BaseTypeLength) switch
        {
            "String" => MessageAttributeDataType.String,
            "Number" => MessageAttributeDataType.Number,
            "Binary" => MessageAttributeDataType.Binary,
            _ => MessageAttributeDataType.None,
        };
    }

    private static string WithCustomType(string baseType, string? customType) =>
        customType is null ? baseType : $"{baseType}.{customType}";
}
