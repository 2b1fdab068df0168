using System.Diagnostics;
using LogQueue.Bench.Load.Messages;
using LogQueue.Client;
using LogQueue.Protocol.Operations;

namespace LogQueue.Bench.Load.Runs;

/// <summary>
/// One consumer: long-polls its queues in turn for up to <c>--batch</c> messages, checks every body (checksum,
/// run, producer and counter), records end-to-end latency for first receipts, and deletes what it received in
/// batch calls before polling again.
/// </summary>
internal sealed class Consumer
{
    /// <summary>How long one receive waits for messages; short, so a consumer notices the stop signal soon.</summary>
    public static readonly TimeSpan PollWait = TimeSpan.FromSeconds(1);

    private readonly LoadContext _context;
    private readonly string[] _queues;
    private readonly ReceiveOptions _receive;
    private readonly int _deleteBatch;
    private readonly List<string> _handles = [];
    private int _round;

    public Consumer(LoadContext context, int id)
    {
        _context = context;
        _queues = context.QueuesFor(id, context.Options.Consumers);
        _deleteBatch = Math.Min(context.Options.ConsumerBatch, context.Limits.MaxBatchSize);
        _receive = new ReceiveOptions { MaxNumberOfMessages = _deleteBatch, WaitTime = PollWait };
    }

    /// <summary>Receives and deletes until <see cref="LoadContext.StopConsuming"/> fires.</summary>
    public async Task RunAsync()
    {
        while (!_context.StopConsuming.IsCancellationRequested)
        {
            string queue = _queues[_round++ % _queues.Length];
            IReadOnlyList<QueueMessage> messages;
            try
            {
                messages = await _context.Clients.Consumers.ReceiveMessagesAsync(queue, _receive, _context.Abort).ConfigureAwait(false);
            }
            catch (Exception e) when (LoadContext.IsCallFailure(e, _context.Abort))
            {
                _context.Metrics.Current.RecordError(LoadContext.CodeOf(e));

                // A target that refuses every receive must not turn this loop into a busy one.
                await Task.Delay(50, _context.Abort).ConfigureAwait(false);
                continue;
            }

            if (messages.Count == 0)
            {
                continue;
            }

            Check(messages);
            await DeleteAsync(queue).ConfigureAwait(false);
        }
    }

    private void Check(IReadOnlyList<QueueMessage> messages)
    {
        long now = Stopwatch.GetTimestamp();
        bool inWindow = _context.Clock.InWindow(now);
        WorkerMetrics m = _context.Metrics.Current;
        _handles.Clear();
        foreach (QueueMessage message in messages)
        {
            _handles.Add(message.ReceiptHandle);
            m.Received++;
            if (inWindow)
            {
                m.WindowReceived++;
                m.WindowReceivedBytes += message.Body.Length;
            }

            if (!LoadMessageBody.TryRead(message.Body.Span, out LoadMessageHeader header))
            {
                m.Corrupt++;
                continue;
            }

            if (header.RunId != _context.RunId || !_context.Ledger.Knows(header.ProducerId))
            {
                m.Foreign++;
                continue;
            }

            if (!_context.Ledger.Received(header.ProducerId, header.Counter))
            {
                continue;
            }

            _context.Order?.Observe(header.ProducerId, _context.GroupIndexOf(header.ProducerId, header.Counter), header.Counter);
            long latency = LoadMessageBody.NanosecondsSince(header.Timestamp, now);
            m.LiveEndToEndLatency.Record(latency);
            if (_context.Clock.InWindow(header.Timestamp))
            {
                m.EndToEndLatency.Record(latency);
            }
        }
    }

    private async Task DeleteAsync(string queue)
    {
        for (int offset = 0; offset < _handles.Count; offset += _deleteBatch)
        {
            int count = Math.Min(_deleteBatch, _handles.Count - offset);
            long deleted = count;
            try
            {
                if (count == 1)
                {
                    await _context.Clients.Consumers.DeleteMessageAsync(queue, _handles[offset], _context.Abort).ConfigureAwait(false);
                }
                else
                {
                    IReadOnlyList<EntryResult> results = await _context.Clients.Consumers
                        .DeleteMessageBatchAsync(queue, count == _handles.Count ? _handles : _handles.GetRange(offset, count), _context.Abort).ConfigureAwait(false);
                    WorkerMetrics failures = _context.Metrics.Current;
                    foreach (EntryResult result in results)
                    {
                        if (!result.Succeeded)
                        {
                            failures.RecordError(result.Code.ToString());
                            deleted--;
                        }
                    }
                }
            }
            catch (Exception e) when (LoadContext.IsCallFailure(e, _context.Abort))
            {
                _context.Metrics.Current.RecordError(LoadContext.CodeOf(e), count);
                continue;
            }

            WorkerMetrics m = _context.Metrics.Current;
            m.Deleted += deleted;
            if (_context.Clock.InWindow(Stopwatch.GetTimestamp()))
            {
                m.WindowDeleted += deleted;
            }
        }
    }
}
