using System.Globalization;
using System.Text;
using LogQueue.Engine.Queues.Deduplication;
using LogQueue.Engine.Queues;
using LogQueue.Engine.Queues.Messages;
using LogQueue.Engine.Tests.Queues.Behaviour;

namespace LogQueue.Engine.Tests.Queues.Deduplication;

/// <summary>FIFO sends and drains for the deduplication tests, on a <see cref="TestEngine"/>.</summary>
internal static class FifoQueue
{
    public const string Name = "q.fifo";

    public static Task<string> CreateAsync(TestEngine t, params (string Name, string Value)[] attributes) =>
        t.CreateQueueAsync(Name, [("FifoQueue", "true"), .. attributes]);

    public static Task<SendMessageResult> SendAsync(TestEngine t, string body, string deduplicationId, string group = "g", MessageAttributes? attributes = null) =>
        t.Engine.SendMessageAsync(Name, new SendMessageRequest(Encoding.UTF8.GetBytes(body), attributes, MessageGroupId: group, MessageDeduplicationId: deduplicationId));

    /// <summary>A send without a deduplication id (ContentBasedDeduplication queues).</summary>
    public static Task<SendMessageResult> SendByContentAsync(TestEngine t, string body, string group = "g", MessageAttributes? attributes = null) =>
        t.Engine.SendMessageAsync(Name, new SendMessageRequest(Encoding.UTF8.GetBytes(body), attributes, MessageGroupId: group));

    /// <summary>Messages stored: visible plus in flight plus delayed.</summary>
    public static long Stored(TestEngine t)
    {
        (long visible, long notVisible, long delayed) = t.Counts(Name);
        return visible + notVisible + delayed;
    }

    /// <summary>Receives and deletes every message; returns them in the order received.</summary>
    public static async Task<List<ReceivedMessage>> DrainAsync(TestEngine t)
    {
        var all = new List<ReceivedMessage>();
        while ((await t.ReceiveAsync(Name, 10, TimeSpan.FromMinutes(1))) is { Count: > 0 } batch)
        {
            all.AddRange(batch);
            await t.Engine.DeleteMessageBatchAsync(Name, [.. batch.Select((m, i) => (i.ToString(CultureInfo.InvariantCulture), m.ReceiptHandle))]);
        }

        return all;
    }

    public static DeduplicationWindow Window(TestEngine t) => t.Engine.FindQueue(Name)!.Deduplication!;

    public static int SegmentCount(TestEngine t) => t.Engine.FindQueue(Name)!.Log.SegmentCount;
}
