using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol.Operations;

/// <summary>One result per entry of a SendMessageBatch, in entry order: <c>u16 count, SendResult...</c>.</summary>
/// <param name="Results">The results.</param>
public sealed record SendMessageBatchResponse(IReadOnlyList<SendResult> Results) : IPayload<SendMessageBatchResponse>
{
    /// <inheritdoc />
    public void Write(ref PayloadWriter writer)
    {
        writer.WriteCount(Results.Count);
        for (int i = 0; i < Results.Count; i++)
        {
            Results[i].Write(ref writer);
        }
    }

    /// <inheritdoc />
    public static SendMessageBatchResponse Read(ref PayloadReader reader)
    {
        var results = new SendResult[reader.ReadCount(minimumItemSize: 4)];
        for (int i = 0; i < results.Length; i++)
        {
            results[i] = SendResult.Read(ref reader);
        }

        return new SendMessageBatchResponse(results);
    }
}
