using LogQueue.Engine.Queues.Messages;

namespace LogQueue.Bench.Queues;

/// <summary>The messages and batch entries the queue suites send and delete, built once per suite.</summary>
internal static class BenchMessages
{
    /// <summary>Batch entry ids "0" to "99", so building a batch allocates no id.</summary>
    public static readonly string[] EntryIds = [.. Enumerable.Range(0, 100).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>A body of printable ASCII, valid as an SQS message body.</summary>
    public static ReadOnlyMemory<byte> Body(int bytes)
    {
        var body = new byte[bytes];
        for (int i = 0; i < body.Length; i++)
        {
            body[i] = (byte)('a' + (i % 26));
        }

        return body;
    }

    /// <summary>A send batch of <paramref name="size"/> entries that all carry <paramref name="request"/>.</summary>
    public static (string Id, SendMessageRequest Request)[] SendBatch(SendMessageRequest request, int size) =>
        [.. Enumerable.Range(0, size).Select(i => (EntryIds[i], request))];
}
