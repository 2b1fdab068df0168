namespace LogQueue.Bench.Load.Runs;

/// <summary>The sum of every worker's counters at one moment (see <see cref="WorkerMetrics"/> for each field).</summary>
internal readonly record struct MetricsTotals(
    long Sent,
    long SentBytes,
    long Received,
    long Deleted,
    long Errors,
    long Corrupt,
    long Foreign,
    long WindowSent,
    long WindowSentBytes,
    long WindowReceived,
    long WindowReceivedBytes,
    long WindowDeleted);
