using System.Globalization;
using System.Text;
using System.Text.Unicode;
using LogQueue.Cli.Output.Json;
using LogQueue.Client;
using LogQueue.Protocol;

namespace LogQueue.Cli.Output;

/// <summary>How a received message looks on stdout, as a text line and as a JSON object.</summary>
internal static class MessageRendering
{
    /// <summary>
    /// <c>id, receive count, receipt handle, sequence number, group id, deduplication id, body</c>, tab-separated; the
    /// ids are empty when the message has none (a group or deduplication id is never empty, so an empty field is
    /// unambiguous). The body comes last so that tabs in it cannot shift the other fields; one that is not UTF-8 shows
    /// as <c>base64:</c> and its bytes in base64. Attributes and timestamps are in <c>--json</c> only.
    /// </summary>
    public static string ToText(QueueMessage message)
    {
        ReadOnlySpan<byte> body = message.Body.Span;
        string bodyText = Utf8.IsValid(body) ? Encoding.UTF8.GetString(body) : "base64:" + Convert.ToBase64String(body);
        return string.Join(
            '\t',
            message.MessageId.ToString(),
            message.ReceiveCount.ToString(CultureInfo.InvariantCulture),
            message.ReceiptHandle,
            message.SequenceNumber.ToString(CultureInfo.InvariantCulture),
            message.MessageGroupId ?? string.Empty,
            message.MessageDeduplicationId ?? string.Empty,
            bodyText);
    }

    /// <summary>Everything the message carries, in the shape documented for <c>receive --json</c>.</summary>
    public static MessageJson ToJson(QueueMessage message)
    {
        ReadOnlySpan<byte> body = message.Body.Span;
        bool utf8 = Utf8.IsValid(body);
        var attributes = new SortedDictionary<string, AttributeJson>(StringComparer.Ordinal);
        foreach ((string name, MessageAttribute value) in message.Attributes)
        {
            attributes[name] = value.IsBinary
                ? new AttributeJson(value.DataType, null, Convert.ToBase64String(value.BinaryValue.Span))
                : new AttributeJson(value.DataType, value.StringValue ?? string.Empty, null);
        }

        return new MessageJson(
            message.MessageId.ToString(),
            message.SequenceNumber,
            message.ReceiptHandle,
            Encoding.UTF8.GetString(body),
            utf8 ? null : Convert.ToBase64String(body),
            attributes,
            message.ReceiveCount,
            message.SentTimestamp.ToUnixTimeMilliseconds(),
            message.FirstReceiveTimestamp == default ? null : message.FirstReceiveTimestamp.ToUnixTimeMilliseconds(),
            message.DeadLetterSourceQueue,
            message.MessageGroupId,
            message.MessageDeduplicationId);
    }
}
