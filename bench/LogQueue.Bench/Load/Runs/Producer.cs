using System.Collections.Concurrent;
using System.Diagnostics;
using LogQueue.Bench.Load.Messages;
using LogQueue.Client;
using LogQueue.Protocol.Operations;

namespace LogQueue.Bench.Load.Runs;

/// <summary>
/// One producer. In a closed loop it has one send call (of up to <c>--batch</c> messages) outstanding and starts
/// the next when it returns; in an open loop (<c>--rate</c>) it starts calls on a fixed schedule whether or not
/// earlier ones returned, and measures each from the time it was meant to start, so a stall shows up as the
/// latency every queued-up send suffered (no coordinated omission). Message bodies live in reusable slots whose
/// filler is written once; a send only writes the 32-byte header.
/// </summary>
internal sealed class Producer
{
    /// <summary>How many calls an open-loop producer lets run at once before it waits (latency keeps counting).</summary>
    public const int MaxOutstandingCalls = 1024;

    private readonly LoadContext _context;
    private readonly int _id;
    private readonly string[] _queues;
    private readonly Random _random;
    private readonly ConcurrentBag<SendSlot> _freeSlots = [];
    private readonly int _slotBytes;
    private long _counter;
    private int _round;

    public Producer(LoadContext context, int id)
    {
        _context = context;
        _id = id;
        _queues = context.QueuesFor(id, context.Options.Producers);
        _random = new Random(id + 1);
        _slotBytes = context.Options.Size.Max;
    }

    /// <summary>Sends until <see cref="LoadContext.StopProducing"/> fires or the message budget is spent.</summary>
    public Task RunAsync() => _context.Options.Rate is { } rate ? RunOpenLoopAsync(rate / _context.Options.Producers) : RunClosedLoopAsync();

    private async Task RunClosedLoopAsync()
    {
        SendSlot slot = TakeSlot();
        while (!_context.StopProducing.IsCancellationRequested)
        {
            int count = _context.TakeBudget(_context.Options.Batch);
            if (count == 0)
            {
                return;
            }

            long start = Stopwatch.GetTimestamp();
            await SendAsync(slot, count, start).ConfigureAwait(false);
        }
    }

    private async Task RunOpenLoopAsync(double messagesPerSecond)
    {
        // Each call carries --batch messages, so calls are due every batch ÷ rate seconds.
        long interval = Math.Max(1, (long)(Stopwatch.Frequency * _context.Options.Batch / messagesPerSecond));
        long due = Stopwatch.GetTimestamp() + (long)(interval * _random.NextDouble());
        using var outstanding = new SemaphoreSlim(MaxOutstandingCalls);
        int running = 0;
        while (!_context.StopProducing.IsCancellationRequested)
        {
            long wait = due - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                // Timers tick in milliseconds: rather than spin a core away from the server, a send may go out up
                // to about a millisecond late. It is measured from `due` all the same, and the lag is reported.
                long milliseconds = Math.Max(1, wait * 1000 / Stopwatch.Frequency);
                await Task.Delay(TimeSpan.FromMilliseconds(milliseconds), _context.Abort).ConfigureAwait(false);
                continue;
            }

            int count = _context.TakeBudget(_context.Options.Batch);
            if (count == 0)
            {
                break;
            }

            await outstanding.WaitAsync(_context.Abort).ConfigureAwait(false);
            SendSlot slot = TakeSlot();
            long intended = due;
            due += interval;
            Interlocked.Increment(ref running);

            // Runs synchronously up to the send call's first wait, so the message numbering and the random sizes
            // stay on this loop's thread; only the completions run concurrently.
            _ = SendScheduledAsync(slot, count, intended);
        }

        // Wait for the calls still running; each releases the semaphore when it returns.
        while (Volatile.Read(ref running) > 0)
        {
            await Task.Delay(10, _context.Abort).ConfigureAwait(false);
        }

        async Task SendScheduledAsync(SendSlot slot, int count, long intended)
        {
            try
            {
                WorkerMetrics metrics = _context.Metrics.Current;
                if (_context.Clock.InWindow(intended))
                {
                    metrics.SendLag.Record(LoadMessageBody.NanosecondsSince(intended, Stopwatch.GetTimestamp()));
                }

                await SendAsync(slot, count, intended).ConfigureAwait(false);
            }
            finally
            {
                _freeSlots.Add(slot);
                outstanding.Release();
                Interlocked.Decrement(ref running);
            }
        }
    }

    /// <summary>Fills <paramref name="count"/> messages of <paramref name="slot"/>, sends them in one call and records the outcome.</summary>
    private async Task SendAsync(SendSlot slot, int count, long start)
    {
        string queue = _queues[_round++ % _queues.Length];
        long first = _counter;
        _counter += count;
        for (int i = 0; i < count; i++)
        {
            int size = _context.Options.Size.Next(_random);
            Memory<byte> body = slot.Buffer.AsMemory(i * _slotBytes, size);
            LoadMessageBody.Write(body.Span, _context.RunId, _id, first + i, start);
            slot.Messages[i] = new OutgoingMessage(body, MessageGroupId: _context.GroupOf(_id, first + i));
            slot.Sizes[i] = size;
        }

        IReadOnlyList<SendResult>? results = null;
        try
        {
            if (count == 1)
            {
                await _context.Client.SendMessageAsync(queue, slot.Messages[0], _context.Abort).ConfigureAwait(false);
            }
            else
            {
                results = await _context.Client.SendMessageBatchAsync(queue, new ArraySegment<OutgoingMessage>(slot.Messages, 0, count), _context.Abort).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (LoadContext.IsCallFailure(e, _context.Abort))
        {
            _context.Metrics.Current.RecordError(LoadContext.CodeOf(e), count);
            return;
        }

        long latency = LoadMessageBody.NanosecondsSince(start, Stopwatch.GetTimestamp());
        bool inWindow = _context.Clock.InWindow(start);
        WorkerMetrics m = _context.Metrics.Current;
        long acknowledged = 0;
        long bytes = 0;
        for (int i = 0; i < count; i++)
        {
            if (results is not null && !results[i].Succeeded)
            {
                m.RecordError(results[i].Code.ToString());
                continue;
            }

            _context.Ledger.Acknowledged(_id, first + i);
            acknowledged++;
            bytes += slot.Sizes[i];
        }

        m.Sent += acknowledged;
        m.LiveSendLatency.Record(latency, acknowledged);
        if (inWindow)
        {
            m.WindowSent += acknowledged;
            m.WindowSentBytes += bytes;
            m.SendLatency.Record(latency, acknowledged);
        }
    }

    private SendSlot TakeSlot()
    {
        if (_freeSlots.TryTake(out SendSlot? slot))
        {
            return slot;
        }

        slot = new SendSlot(_context.Options.Batch, _slotBytes);
        for (int i = 0; i < _context.Options.Batch; i++)
        {
            LoadMessageBody.FillPattern(slot.Buffer.AsSpan(i * _slotBytes, _slotBytes), _id);
        }

        return slot;
    }

    /// <summary>The bodies and message array of one send call, reused call after call.</summary>
    private sealed class SendSlot(int batch, int slotBytes)
    {
        public byte[] Buffer { get; } = new byte[batch * slotBytes];

        public OutgoingMessage[] Messages { get; } = new OutgoingMessage[batch];

        public int[] Sizes { get; } = new int[batch];
    }
}
