using System.Diagnostics.CodeAnalysis;

namespace LogQueue.Engine.Queues;

/// <summary>
/// The base type of a message attribute; a data type may add a custom part after a period
/// (<c>String.url</c>, <c>Number.int</c>, <c>Binary.png</c>). The numbers are stored by
/// <see cref="MessageAttributesCodec"/>: never change them.
/// </summary>
public enum MessageAttributeDataType
{
    /// <summary>Not a valid data type (only on a value that has not been validated).</summary>
    None = 0,

    /// <summary><c>String</c>: Unicode text, held in <see cref="MessageAttributeValue.StringValue"/>.</summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "SQS's name for the type.")]
    String = 1,

    /// <summary><c>Number</c>: a decimal number as text, held in <see cref="MessageAttributeValue.StringValue"/>.</summary>
    Number = 2,

    /// <summary><c>Binary</c>: bytes, held in <see cref="MessageAttributeValue.BinaryValue"/>.</summary>
    Binary = 3,
}
