using System.Globalization;
using System.Text;
using LogQueue.Engine.Queues.Messages;
using LogQueue.Engine.Tests.Queues.Behaviour;

namespace LogQueue.Engine.Tests.Queues.Fairness;

/// <summary>Sends and receives of grouped messages on a standard queue, for the fairness tests.</summary>
internal static class GroupedSends
{
    // The engine's default MaxBatchSize: sends of a hundred keep a 20,000-message backlog quick to build.
    private const int Batch = 100;

    /// <summary>
    /// Sends <paramref name="count"/> messages of <paramref name="group"/> (null: ungrouped), bodies
    /// "{prefix}{i}", in batches, so that they are consecutive in the log.
    /// </summary>
    public static async Task SendAsync(TestEngine t, string queue, string? group, int count, string prefix, TimeSpan? delay = null)
    {
        for (int sent = 0; sent < count; sent += Batch)
        {
            int n = Math.Min(Batch, count - sent);
            IReadOnlyList<BatchResultEntry<SendMessageResult>> results = await t.Engine.SendMessageBatchAsync(
                queue,
                [.. Enumerable.Range(sent, n).Select(i => (
                    "e" + (i - sent).ToString(CultureInfo.InvariantCulture),
                    new SendMessageRequest(Encoding.UTF8.GetBytes(prefix + i.ToString(CultureInfo.InvariantCulture)), null, delay, group, null)))]);
            Assert.All(results, r => Assert.True(r.Succeeded, r.ErrorMessage));
        }
    }

    /// <summary>Sends one message of <paramref name="group"/> with <paramref name="body"/>.</summary>
    public static Task<SendMessageResult> SendOneAsync(TestEngine t, string queue, string? group, string body) =>
        t.Engine.SendMessageAsync(queue, new SendMessageRequest(Encoding.UTF8.GetBytes(body), null, null, group, null));

    /// <summary>Receives and deletes everything visible now, in receives of ten; returns the messages in delivery order.</summary>
    public static async Task<List<ReceivedMessage>> DrainAsync(TestEngine t, string queue)
    {
        var all = new List<ReceivedMessage>();
        while (true)
        {
            IReadOnlyList<ReceivedMessage> got = await t.ReceiveAsync(queue, 10, TimeSpan.FromMinutes(5));
            if (got.Count == 0)
            {
                return all;
            }

            all.AddRange(got);
            await t.Engine.DeleteMessageBatchAsync(queue, [.. got.Select((m, i) => (i.ToString(CultureInfo.InvariantCulture), m.ReceiptHandle))]);
        }
    }

    /// <summary>The group a received message came from, "-" for none.</summary>
    public static string GroupOf(ReceivedMessage message) => message.MessageGroupId ?? "-";
}
