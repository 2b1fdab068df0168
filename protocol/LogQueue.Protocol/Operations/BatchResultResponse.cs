using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol.Operations;

/// <summary>One result per entry of a delete or change-visibility batch, in entry order: <c>u16 count, EntryResult...</c>.</summary>
/// <param name="Results">The results.</param>
public sealed record BatchResultResponse(IReadOnlyList<EntryResult> Results) : IPayload<BatchResultResponse>
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
    public static BatchResultResponse Read(ref PayloadReader reader)
    {
        var results = new EntryResult[reader.ReadCount(minimumItemSize: 2)];
        for (int i = 0; i < results.Length; i++)
        {
            results[i] = EntryResult.Read(ref reader);
        }

        return new BatchResultResponse(results);
    }
}
