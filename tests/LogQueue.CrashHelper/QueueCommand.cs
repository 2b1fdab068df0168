using System.Globalization;
using LogQueue.Engine;
using LogQueue.Engine.Queues;
using LogQueue.Engine.Queues.Messages;
using Microsoft.Extensions.Options;

namespace LogQueue.CrashHelper;

/// <summary>
/// <c>queue</c>: opens a queue engine on the data directory (durability Always), creates the queue (and its
/// dead-letter queue), and runs producers and consumers concurrently until the process is killed.
/// <para>
/// Producers send single messages and batches and print each send once it is acknowledged. Consumers
/// receive batches with a short visibility timeout, print what they got, and then for each message, by
/// the workload's percentages, delete it, release it (visibility timeout 0), or leave it in flight until
/// its visibility timeout runs out; so at a kill some messages are in flight, some were deleted, and some
/// deletes were under way. A delete call is announced (<c>deleting</c>) before it starts and each delete it
/// made is printed (<c>deleted</c>) once the call is acknowledged: the test needs both, because a delete the
/// engine had stored may still be unacknowledged when the process dies, and then the message may be gone.
/// </para>
/// <para>
/// Every line is printed after the call it reports returned, but the consumers and producers run
/// concurrently on a busy machine: a line can come out well after the event, and after lines of events that
/// followed it. The tests only draw conclusions that hold for any such order.
/// </para>
/// </summary>
internal static class QueueCommand
{
    public static async Task<int> RunAsync(QueueWorkload workload)
    {
        var events = new QueueEventWriter(Console.OpenStandardOutput());

        // Never disposed: the process runs until it is killed, which is the point.
        QueueEngine engine = await QueueEngine.OpenAsync(Options.Create(workload.ToEngineOptions()), new StandardErrorLoggerFactory());
        if (workload.MaxReceiveCount > 0)
        {
            await engine.CreateQueueAsync(QueueWorkload.DeadLetterQueueName, workload.DeadLetterQueueAttributes());
        }

        await engine.CreateQueueAsync(workload.Queue, workload.QueueAttributes());
        events.Ready();

        var workers = new List<Task>();
        for (int producer = 0; producer < workload.Producers; producer++)
        {
            int id = producer;
            workers.Add(Task.Run(() => ProduceForeverAsync(engine, workload, id, events)));
        }

        for (int consumer = 0; consumer < workload.Consumers; consumer++)
        {
            int id = consumer;
            workers.Add(Task.Run(() => ConsumeForeverAsync(engine, workload, id, events)));
        }

        if (workers.Count == 0)
        {
            await Task.Delay(Timeout.Infinite);
        }

        // Workers end only by failing; report the first failure instead of hanging on the others.
        Task failed = await Task.WhenAny(workers);
        await Console.Error.WriteLineAsync($"A producer or consumer failed: {failed.Exception?.GetBaseException()}");
        return 1;
    }

    private static async Task ProduceForeverAsync(QueueEngine engine, QueueWorkload workload, int producer, QueueEventWriter events)
    {
        var random = new Random(Seed(workload.Run, producer));
        var sends = new List<(long Counter, string MessageId)>(workload.SendBatch);
        for (long counter = 0; ;)
        {
            int count = workload.SendBatch == 1 || random.Next(3) == 0 ? 1 : random.Next(2, workload.SendBatch + 1);
            sends.Clear();
            if (count == 1)
            {
                SendMessageResult result = await engine.SendMessageAsync(workload.Queue, Request(workload, producer, counter));
                sends.Add((counter, result.MessageId.ToString()));
            }
            else
            {
                var entries = new (string Id, SendMessageRequest Request)[count];
                for (int i = 0; i < count; i++)
                {
                    entries[i] = (EntryId(i), Request(workload, producer, counter + i));
                }

                IReadOnlyList<BatchResultEntry<SendMessageResult>> results = await engine.SendMessageBatchAsync(workload.Queue, entries);
                for (int i = 0; i < count; i++)
                {
                    SendMessageResult result = results[i].Result
                        ?? throw new InvalidOperationException($"Producer {producer}: batch entry {i} (counter {counter + i}) failed: {results[i].Error} {results[i].ErrorMessage}");
                    sends.Add((counter + i, result.MessageId.ToString()));
                }
            }

            events.Sent(producer, sends);
            counter += count;
        }
    }

    private static async Task ConsumeForeverAsync(QueueEngine engine, QueueWorkload workload, int consumer, QueueEventWriter events)
    {
        var random = new Random(Seed(workload.Run, 1000 + consumer));
        TimeSpan visibility = TimeSpan.FromMilliseconds(workload.VisibilityMilliseconds);
        TimeSpan wait = TimeSpan.FromMilliseconds(workload.WaitMilliseconds);
        var delete = new List<ReceivedMessage>();
        var release = new List<ReceivedMessage>();
        long calls = 0;
        while (true)
        {
            var request = new ReceiveMessageRequest(random.Next(1, workload.ReceiveBatch + 1), visibility, wait);
            IReadOnlyList<ReceivedMessage> messages = await engine.ReceiveMessageAsync(workload.Queue, request);
            if (messages.Count == 0)
            {
                continue;
            }

            foreach (ReceivedMessage message in messages)
            {
                if (QueueMessageBody.Check(message.Body.Span, workload.MaxPadding, out _) is { } problem)
                {
                    throw new InvalidDataException($"Consumer {consumer} received {message.MessageId} (receive count {message.ApproximateReceiveCount}), which no producer sent: {problem}.");
                }
            }

            events.Received([.. messages.Select(m => (m.MessageId.ToString(), m.ApproximateReceiveCount))]);
            delete.Clear();
            release.Clear();
            foreach (ReceivedMessage message in messages)
            {
                int roll = random.Next(100);
                if (roll < workload.DeletePercent)
                {
                    delete.Add(message);
                }
                else if (roll < workload.DeletePercent + workload.ReleasePercent)
                {
                    release.Add(message);
                }
            }

            if (release.Count > 0)
            {
                // An entry may fail as stale (its timeout ran out and another receive took it); it is back either way.
                engine.ChangeMessageVisibilityBatch(workload.Queue, [.. release.Select((m, i) => (EntryId(i), m.ReceiptHandle, TimeSpan.Zero))]);
            }

            if (delete.Count > 0)
            {
                calls = await DeleteAsync(engine, workload.Queue, consumer, calls, delete, single: delete.Count == 1 || random.Next(2) == 0, events);
            }
        }
    }

    // Announces each call before making it; a delete refused as stale (the message's visibility timeout ran out
    // and another receive took it) is not an ack and is not printed; any other refusal is a failure of the run.
    // Returns the number of the consumer's next call.
    private static async Task<long> DeleteAsync(QueueEngine engine, string queue, int consumer, long call, List<ReceivedMessage> messages, bool single, QueueEventWriter events)
    {
        if (single)
        {
            foreach (ReceivedMessage message in messages)
            {
                events.Deleting(consumer, call++, [message.MessageId.ToString()]);
                try
                {
                    await engine.DeleteMessageAsync(queue, message.ReceiptHandle);
                }
                catch (LogQueueException ex) when (ex.Code == ErrorCode.MessageNotInflight)
                {
                    continue;
                }

                events.Deleted([message.MessageId.ToString()]);
            }

            return call;
        }

        events.Deleting(consumer, call, [.. messages.Select(m => m.MessageId.ToString())]);
        IReadOnlyList<BatchResultEntry<bool>> results = await engine.DeleteMessageBatchAsync(
            queue,
            [.. messages.Select((m, i) => (EntryId(i), m.ReceiptHandle))]);
        var deleted = new List<string>(messages.Count);
        for (int i = 0; i < messages.Count; i++)
        {
            if (results[i].Succeeded)
            {
                deleted.Add(messages[i].MessageId.ToString());
            }
            else if (results[i].Error != ErrorCode.MessageNotInflight)
            {
                throw new InvalidOperationException($"Deleting {messages[i].MessageId} failed: {results[i].Error} {results[i].ErrorMessage}");
            }
        }

        events.Deleted(deleted);
        return call + 1;
    }

    private static SendMessageRequest Request(QueueWorkload workload, int producer, long counter)
    {
        var identity = new QueueMessageIdentity(workload.Run, producer, counter);
        byte[] body = QueueMessageBody.Create(identity, workload.MaxPadding);
        return workload.Fifo
            ? new SendMessageRequest(body, MessageGroupId: QueueWorkload.GroupId(producer), MessageDeduplicationId: QueueWorkload.DeduplicationId(identity))
            : new SendMessageRequest(body);
    }

    private static string EntryId(int index) => index.ToString(CultureInfo.InvariantCulture);

    // Fixed seeds: a failing run's choices can be replayed.
    private static int Seed(int run, int worker) => (run * 7919) + worker;
}
