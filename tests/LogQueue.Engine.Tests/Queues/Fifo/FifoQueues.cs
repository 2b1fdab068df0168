using System.Text;
using LogQueue.Engine.Queues.Messages;
using LogQueue.Engine.Tests.Queues.Behaviour;

namespace LogQueue.Engine.Tests.Queues.Fifo;

/// <summary>FIFO helpers over <see cref="TestEngine"/>: queue creation, sends with a group, receives with an attempt id.</summary>
internal static class FifoQueues
{
    public static readonly TimeSpan Visibility = TimeSpan.FromSeconds(30);

    private static long s_nextDeduplicationId;

    public static Task<string> CreateFifoAsync(this TestEngine t, string name, bool highThroughput = false, params (string Name, string Value)[] attributes)
    {
        var all = new List<(string, string)> { ("FifoQueue", "true") };
        if (highThroughput)
        {
            all.Add(("DeduplicationScope", "messageGroup"));
            all.Add(("FifoThroughputLimit", "perMessageGroupId"));
        }

        all.AddRange(attributes);
        return t.CreateQueueAsync(name, [.. all]);
    }

    /// <summary>A send to a group, with a deduplication id of its own, so no two sends of a test are duplicates.</summary>
    public static SendMessageRequest Request(string group, string body) =>
        new(Encoding.UTF8.GetBytes(body), MessageGroupId: group, MessageDeduplicationId: "d" + Interlocked.Increment(ref s_nextDeduplicationId));

    public static Task<SendMessageResult> SendToGroupAsync(this TestEngine t, string queue, string group, string body) =>
        t.Engine.SendMessageAsync(queue, Request(group, body));

    public static async Task SendToGroupAsync(this TestEngine t, string queue, string group, params string[] bodies)
    {
        foreach (string body in bodies)
        {
            await t.SendToGroupAsync(queue, group, body);
        }
    }

    public static Task<IReadOnlyList<ReceivedMessage>> ReceiveAttemptAsync(this TestEngine t, string queue, string? attemptId, int max = 10, TimeSpan? visibility = null) =>
        t.Engine.ReceiveMessageAsync(queue, new ReceiveMessageRequest(max, visibility ?? Visibility, TimeSpan.Zero, ReceiveRequestAttemptId: attemptId));

    public static async Task<string[]> ReceiveFifoBodiesAsync(this TestEngine t, string queue, int max = 10, TimeSpan? visibility = null) =>
        [.. (await t.ReceiveAsync(queue, max, visibility ?? Visibility)).Select(TestEngine.Body)];

    public static Task DeleteAsync(this TestEngine t, string queue, ReceivedMessage message) =>
        t.Engine.DeleteMessageAsync(queue, message.ReceiptHandle);
}
