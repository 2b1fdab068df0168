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
    /// <summary>How many calls an open-loop producer lets run at once before it holds back (latency keeps counting).</summary>
    public const int MaxOutstandingCalls = 1024;

    private readonly LoadContext _context;
    private readonly int _id;
    private readonly string[] _queues;
    private readonly Random _random;
    private readonly ConcurrentBag<SendSlot> _freeSlots = [];
    private readonly int _slotBytes;
    private long _counter;
    private int _round;
    private long _interval;
    private int _outstanding;

    public Producer(LoadContext context, int id)
    {
        _context = context;
        _id = id;
        _queues = context.QueuesFor(id, context.Options.Producers);
        _random = new Random(id + 1);
        _slotBytes = context.Options.Size.Max;
    }

    /// <summary>Closed loop: sends until <see cref="LoadContext.StopProducing"/> fires or the message budget is spent.</summary>
    public async Task RunClosedLoopAsync()
    {
        SendSlot slot = TakeSlot();
        while (!_context.StopProducing.IsCancellationRequested)
        {
            long start = Stopwatch.GetTimestamp();
            int count = _context.TakeBudget(_context.Options.Batch, start, out bool charged);
            if (count == 0)
            {
                return;
            }

            await SendAsync(slot, count, start, Measured(charged)).ConfigureAwait(false);
        }
    }

    /// <summary>Open loop: when this producer's next call is due (Stopwatch ticks).</summary>
    public long NextDue { get; private set; }

    /// <summary>Open loop: calls started and not yet returned.</summary>
    public int Outstanding => Volatile.Read(ref _outstanding);

    /// <summary>Open loop: sets the first due time, at a random offset into the first interval so producers do not start in step.</summary>
    public void StartSchedule(long start)
    {
        // Each call carries --batch messages, so one producer's calls are due every batch ÷ (rate ÷ producers) seconds.
        double messagesPerSecond = _context.Options.Rate!.Value / _context.Options.Producers;
        _interval = Math.Max(1, (long)(Stopwatch.Frequency * _context.Options.Batch / messagesPerSecond));
        NextDue = start + (long)(_interval * _random.NextDouble());
    }

    /// <summary>
    /// Open loop, on the pacer's thread: starts every call due by <paramref name="now"/> (each measured from its
    /// due time) unless <see cref="MaxOutstandingCalls"/> are running; false once the message budget is spent.
    /// </summary>
    public bool StartDueSends(long now)
    {
        while (NextDue <= now && Outstanding < MaxOutstandingCalls)
        {
            long due = NextDue;
            int count = _context.TakeBudget(_context.Options.Batch, due, out bool charged);
            if (count == 0)
            {
                return false;
            }

            NextDue += _interval;
            WorkerMetrics metrics = _context.Metrics.Current;
            if (_context.Clock.InWindow(due))
            {
                metrics.SendLag.Record(LoadMessageBody.NanosecondsSince(due, Stopwatch.GetTimestamp()));
            }

            Interlocked.Increment(ref _outstanding);

            // Runs synchronously up to the call's first wait, so numbering and sizes stay on the pacer's thread.
            _ = SendScheduledAsync(TakeSlot(), count, due, Measured(charged));
        }

        return true;
    }

    // With --messages, whether a call is measured is whether it was charged to the budget (LoadContext.TakeBudget);
    // otherwise (null) whether it started inside the window.
    private bool? Measured(bool charged) => _context.Options.Messages is null ? null : charged;

    private async Task SendScheduledAsync(SendSlot slot, int count, long due, bool? measured)
    {
        try
        {
            await SendAsync(slot, count, due, measured).ConfigureAwait(false);
        }
        finally
        {
            _freeSlots.Add(slot);
            Interlocked.Decrement(ref _outstanding);
        }
    }

    /// <summary>Fills <paramref name="count"/> messages of <paramref name="slot"/>, sends them in one call and records the outcome.</summary>
    private async Task SendAsync(SendSlot slot, int count, long start, bool? measured)
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
                await _context.Clients.Producers.SendMessageAsync(queue, slot.Messages[0], _context.Abort).ConfigureAwait(false);
            }
            else
            {
                results = await _context.Clients.Producers.SendMessageBatchAsync(queue, new ArraySegment<OutgoingMessage>(slot.Messages, 0, count), _context.Abort).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (LoadContext.IsCallFailure(e, _context.Abort))
        {
            _context.Metrics.Current.RecordError(LoadContext.CodeOf(e), count);
            return;
        }

        long latency = LoadMessageBody.NanosecondsSince(start, Stopwatch.GetTimestamp());
        bool inWindow = measured ?? _context.Clock.InWindow(start);
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
        m.SentBytes += bytes;
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
