namespace LogQueue.Protocol;

/// <summary>
/// One message attribute's value, as SQS has it: a data type (<c>String</c>, <c>Number</c> or <c>Binary</c>,
/// optionally with a custom part such as <c>Number.int</c>) and a string or binary value. The server checks
/// the SQS rules (at most 10 attributes, names, types, sizes) and refuses a bad set with a clear error.
/// </summary>
public sealed class MessageAttribute : IEquatable<MessageAttribute>
{
    /// <summary>Creates an attribute value; <paramref name="stringValue"/> for String and Number types, <paramref name="binaryValue"/> for Binary.</summary>
    public MessageAttribute(string dataType, string? stringValue, ReadOnlyMemory<byte> binaryValue = default)
    {
        ArgumentNullException.ThrowIfNull(dataType);
        DataType = dataType;
        StringValue = stringValue;
        BinaryValue = binaryValue;
    }

    /// <summary>The data type, custom part included.</summary>
    public string DataType { get; }

    /// <summary>The value of a String or Number attribute; null for Binary.</summary>
    public string? StringValue { get; }

    /// <summary>The value of a Binary attribute; empty otherwise.</summary>
    public ReadOnlyMemory<byte> BinaryValue { get; }

    /// <summary>True when the data type is Binary or Binary.custom: the value travels as bytes.</summary>
    public bool IsBinary => IsBinaryType(DataType);

    /// <summary>A String attribute.</summary>
    public static MessageAttribute FromString(string value, string? customType = null) =>
        new(WithCustomType("String", customType), value ?? throw new ArgumentNullException(nameof(value)));

    /// <summary>A Number attribute; the value is the number's text.</summary>
    public static MessageAttribute FromNumber(string value, string? customType = null) =>
        new(WithCustomType("Number", customType), value ?? throw new ArgumentNullException(nameof(value)));

    /// <summary>A Binary attribute.</summary>
    public static MessageAttribute FromBinary(ReadOnlyMemory<byte> value, string? customType = null) =>
        new(WithCustomType("Binary", customType), null, value);

    /// <summary>True for <c>Binary</c> and <c>Binary.</c>anything.</summary>
    public static bool IsBinaryType(string dataType) =>
        dataType.StartsWith("Binary", StringComparison.Ordinal) && (dataType.Length == 6 || dataType[6] == '.');

    /// <inheritdoc />
    public bool Equals(MessageAttribute? other) =>
        other is not null
        && string.Equals(DataType, other.DataType, StringComparison.Ordinal)
        && string.Equals(StringValue, other.StringValue, StringComparison.Ordinal)
        && BinaryValue.Span.SequenceEqual(other.BinaryValue.Span);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as MessageAttribute);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(DataType, StringValue, BinaryValue.Length);

    /// <inheritdoc />
    public override string ToString() => IsBinary ? $"{DataType}:{Convert.ToBase64String(BinaryValue.Span)}" : $"{DataType}:{StringValue}";

    private static string WithCustomType(string baseType, string? customType) =>
        string.IsNullOrEmpty(customType) ? baseType : baseType + "." + customType;
}
