namespace LogQueue.Cli.Output.Json;

/// <summary>
/// A received message in <c>--json</c> output. <see cref="Body"/> is the body as UTF-8 text; when the bytes are not
/// valid UTF-8 it holds the text with replacement characters and <see cref="BodyBase64"/> holds the exact bytes.
/// Timestamps are Unix milliseconds. <see cref="MessageGroupId"/> and <see cref="MessageDeduplicationId"/> are null
/// when the message has none (a standard queue's message without a group).
/// </summary>
internal sealed record MessageJson(
    string MessageId,
    long SequenceNumber,
    string ReceiptHandle,
    string Body,
    string? BodyBase64,
    IReadOnlyDictionary<string, AttributeJson> Attributes,
    int ReceiveCount,
    long SentTimestamp,
    long? FirstReceiveTimestamp,
    string? DeadLetterSourceQueue,
    string? MessageGroupId,
    string? MessageDeduplicationId);
