using LogQueue.Bench.Load.Options;

namespace LogQueue.Bench.Load.Reporting;

/// <summary>Every figure of one load run; <c>--json FILE</c> writes it as is.</summary>
/// <param name="Target">What was loaded: the server's endpoint and version, or the embedded data directory and durability.</param>
/// <param name="Workload">The options the run used.</param>
/// <param name="StartedAt">When the run started.</param>
/// <param name="MeasuredSeconds">Length of the measured window.</param>
/// <param name="DrainSeconds">How long consumers took after the last send.</param>
/// <param name="DrainCompleted">True when every acknowledged message was received before the drain timeout.</param>
/// <param name="Counts">Delivery counts over the whole run.</param>
/// <param name="Produce">Acknowledged sends in the window.</param>
/// <param name="Consume">Receipts in the window.</param>
/// <param name="Deleted">Acknowledged deletes in the window.</param>
/// <param name="SendLatency">Send call to acknowledgement, per message (open loop: from the intended send time).</param>
/// <param name="EndToEndLatency">Send (or intended send) to receipt, per message.</param>
/// <param name="SendLag">Open loop: how late sends started after their intended time; null in a closed loop.</param>
/// <param name="Errors">Failed calls and batch entries by code.</param>
/// <param name="ClientCpu">The generator's CPU use in the window.</param>
/// <param name="Timeline">One sample per second.</param>
public sealed record LoadReport(
    string Target,
    LoadOptions Workload,
    DateTimeOffset StartedAt,
    double MeasuredSeconds,
    double DrainSeconds,
    bool DrainCompleted,
    DeliveryCounts Counts,
    Throughput Produce,
    Throughput Consume,
    Throughput Deleted,
    LatencySummary SendLatency,
    LatencySummary EndToEndLatency,
    LatencySummary? SendLag,
    IReadOnlyDictionary<string, long> Errors,
    CpuUsage ClientCpu,
    IReadOnlyList<ProgressSample> Timeline)
{
    /// <summary>True when nothing was lost, corrupted or reordered and, with consumers, the drain finished.</summary>
    public bool Passed => Verified && Counts.Unconfirmed is null;

    /// <summary>True when nothing was found lost, corrupted or reordered (a timed-out drain leaves messages unconfirmed, not lost).</summary>
    public bool Verified => Counts.Lost is null or 0 && Counts.Corrupt == 0 && Counts.OrderViolations is null or 0;
}
