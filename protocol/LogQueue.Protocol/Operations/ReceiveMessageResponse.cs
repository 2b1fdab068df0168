using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol.Operations;

/// <summary>The received messages, possibly none: <c>u16 count, ReceivedMessage...</c>.</summary>
/// <param name="Messages">The messages.</param>
public sealed record ReceiveMessageResponse(IReadOnlyList<ReceivedMessage> Messages) : IPayload<ReceiveMessageResponse>
{
    /// <summary>The empty response of a receive that found nothing.</summary>
    public static ReceiveMessageResponse Empty { get; } = new(Array.Empty<ReceivedMessage>());

    /// <inheritdoc />
    public void Write(ref PayloadWriter writer)
    {
        writer.WriteCount(Messages.Count);
        for (int i = 0; i < Messages.Count; i++)
        {
            Messages[i].Write(ref writer);
        }
    }

    /// <inheritdoc />
    public static ReceiveMessageResponse Read(ref PayloadReader reader)
    {
        // The smallest message of version 1; version 2 adds two bytes (a null deduplication id), so this bounds both.
        int count = reader.ReadCount(minimumItemSize: 54);
        if (count == 0)
        {
            return Empty;
        }

        var messages = new ReceivedMessage[count];
        for (int i = 0; i < messages.Length; i++)
        {
            messages[i] = ReceivedMessage.Read(ref reader);
        }

        return new ReceiveMessageResponse(messages);
    }
}
