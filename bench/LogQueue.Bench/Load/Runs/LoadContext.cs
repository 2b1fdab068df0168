using LogQueue.Bench.Load.Options;
using LogQueue.Client;

namespace LogQueue.Bench.Load.Runs;

/// <summary>What every producer and consumer of one run shares: the workload, the client, the clock, the ledger and the stop signals.</summary>
internal sealed class LoadContext
{
    private readonly string[] _queueNames;
    private readonly string[]? _groupIds;
    private long _budget;

    public LoadContext(
        LoadOptions options,
        LoadClients clients,
        TargetLimits limits,
        CancellationToken stopProducing,
        CancellationToken stopConsuming,
        CancellationToken abort)
    {
        Options = options;
        Clients = clients;
        Limits = limits;
        StopProducing = stopProducing;
        StopConsuming = stopConsuming;
        Abort = abort;
        RunId = Random.Shared.Next(1, int.MaxValue);
        _queueNames = [.. options.QueueNames()];
        _groupIds = options.Fifo ? Enumerable.Range(0, options.Groups).Select(g => "g" + g.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray() : null;
        Ledger = new DeliveryLedger(options.Producers);
        Order = options.Fifo && options.Rate is null ? new GroupOrderTracker(options.Producers, options.Groups) : null;
        _budget = options.Messages ?? long.MaxValue;
    }

    public LoadOptions Options { get; }

    public LoadClients Clients { get; }

    public TargetLimits Limits { get; }

    public RunClock Clock { get; } = new();

    public LoadMetrics Metrics { get; } = new();

    public DeliveryLedger Ledger { get; }

    /// <summary>Per-group order checks of a closed-loop FIFO run; null otherwise (open-loop sends of one producer overlap, so they have no order).</summary>
    public GroupOrderTracker? Order { get; }

    /// <summary>This run's id in every body; messages with another are left over from another run.</summary>
    public int RunId { get; }

    /// <summary>Fires when producers should stop starting sends (their running calls finish).</summary>
    public CancellationToken StopProducing { get; }

    /// <summary>Fires when consumers should stop after their current receive and delete.</summary>
    public CancellationToken StopConsuming { get; }

    /// <summary>Fires on Ctrl-C or a hard stop; running calls are cancelled.</summary>
    public CancellationToken Abort { get; }

    /// <summary>The queues worker <paramref name="index"/> of <paramref name="workers"/> uses, in turn: every queue has at least one worker of each kind.</summary>
    public string[] QueuesFor(int index, int workers)
    {
        if (workers >= _queueNames.Length)
        {
            return [_queueNames[index % _queueNames.Length]];
        }

        return _queueNames.Where((_, q) => q % workers == index).ToArray();
    }

    /// <summary>The group of a producer's message in a FIFO run (spread round-robin over producers and counters); null otherwise.</summary>
    public string? GroupOf(int producer, long counter) => _groupIds is null ? null : _groupIds[GroupIndexOf(producer, counter)];

    /// <summary>The group number of a producer's message.</summary>
    public int GroupIndexOf(int producer, long counter) =>
        (int)(((counter * Options.Producers) + producer) % Options.Groups);

    /// <summary>
    /// Takes up to <paramref name="wanted"/> messages from the <c>--messages</c> budget for a call that starts (or
    /// was due) at <paramref name="timestamp"/>: a call before the window opened is free (warm-up), one inside it is
    /// charged, so exactly the budget is measured. 0 when the budget is spent.
    /// </summary>
    public int TakeBudget(int wanted, long timestamp) => TakeBudget(wanted, timestamp, out _);

    /// <summary>
    /// As <see cref="TakeBudget(int, long)"/>; <paramref name="charged"/> says whether the call was charged to the budget,
    /// and with <c>--messages</c> that, not the window's bounds read later, decides whether the call is measured: the
    /// window's start is published a moment after it is read from the clock, so a call that found it not yet open may
    /// have a timestamp inside it, and counting that one would measure one call more than the budget.
    /// </summary>
    public int TakeBudget(int wanted, long timestamp, out bool charged)
    {
        charged = false;
        if (Options.Messages is null || timestamp < Clock.MeasureStart)
        {
            return wanted;
        }

        charged = true;
        long left = Interlocked.Add(ref _budget, -wanted) + wanted;
        return (int)Math.Clamp(left, 0, wanted);
    }

    /// <summary>True for a failed call the run counts and goes on from (not the run's own abort).</summary>
    public static bool IsCallFailure(Exception e, CancellationToken abort) =>
        e is LogQueueException or TimeoutException or IOException || (e is OperationCanceledException && !abort.IsCancellationRequested);

    /// <summary>The name a failure is counted under: the error code, or the exception's type.</summary>
    public static string CodeOf(Exception e) => e is LogQueueException q ? q.Code.ToString() : e.GetType().Name;
}
