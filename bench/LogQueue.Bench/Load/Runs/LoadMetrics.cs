using LogQueue.Bench.Load.Histograms;

namespace LogQueue.Bench.Load.Runs;

/// <summary>
/// Every worker thread's <see cref="WorkerMetrics"/>: each thread records into its own (created on first use),
/// and <see cref="Snapshot"/> adds them up. Async workers move between pool threads, so a worker asks for
/// <see cref="Current"/> after each await, never keeps it across one.
/// </summary>
internal sealed class LoadMetrics : IDisposable
{
    private readonly ThreadLocal<WorkerMetrics> _perThread = new(() => new WorkerMetrics(), trackAllValues: true);

    /// <summary>This thread's metrics.</summary>
    public WorkerMetrics Current => _perThread.Value!;

    /// <summary>Every thread's metrics so far.</summary>
    public IList<WorkerMetrics> All => _perThread.Values;

    /// <summary>The sum of every thread's counters (read while they may still grow).</summary>
    public MetricsTotals Totals()
    {
        var totals = default(MetricsTotals);
        foreach (WorkerMetrics m in All)
        {
            totals = totals with
            {
                Sent = totals.Sent + Volatile.Read(ref m.Sent),
                SentBytes = totals.SentBytes + Volatile.Read(ref m.SentBytes),
                Received = totals.Received + Volatile.Read(ref m.Received),
                Deleted = totals.Deleted + Volatile.Read(ref m.Deleted),
                Errors = totals.Errors + Volatile.Read(ref m.Errors),
                Corrupt = totals.Corrupt + Volatile.Read(ref m.Corrupt),
                Foreign = totals.Foreign + Volatile.Read(ref m.Foreign),
                WindowSent = totals.WindowSent + Volatile.Read(ref m.WindowSent),
                WindowSentBytes = totals.WindowSentBytes + Volatile.Read(ref m.WindowSentBytes),
                WindowReceived = totals.WindowReceived + Volatile.Read(ref m.WindowReceived),
                WindowReceivedBytes = totals.WindowReceivedBytes + Volatile.Read(ref m.WindowReceivedBytes),
                WindowDeleted = totals.WindowDeleted + Volatile.Read(ref m.WindowDeleted),
            };
        }

        return totals;
    }

    /// <summary>Copies every thread's live histograms into <paramref name="send"/> and <paramref name="endToEnd"/> (for progress).</summary>
    public void CopyLive(LatencyHistogram send, LatencyHistogram endToEnd, LatencyHistogram scratch)
    {
        ArgumentNullException.ThrowIfNull(send);
        ArgumentNullException.ThrowIfNull(endToEnd);
        ArgumentNullException.ThrowIfNull(scratch);
        send.Reset();
        endToEnd.Reset();
        foreach (WorkerMetrics m in All)
        {
            scratch.CopyLiveFrom(m.LiveSendLatency);
            send.Add(scratch);
            scratch.CopyLiveFrom(m.LiveEndToEndLatency);
            endToEnd.Add(scratch);
        }
    }

    /// <summary>Merges one histogram of every thread (after the workers stopped).</summary>
    public LatencyHistogram Merge(Func<WorkerMetrics, LatencyHistogram> select)
    {
        ArgumentNullException.ThrowIfNull(select);
        var merged = new LatencyHistogram();
        foreach (WorkerMetrics m in All)
        {
            merged.Add(select(m));
        }

        return merged;
    }

    /// <summary>Failures by code over every thread (after the workers stopped).</summary>
    public IReadOnlyDictionary<string, long> ErrorsByCode()
    {
        var errors = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (WorkerMetrics m in All)
        {
            foreach ((string code, long count) in m.ErrorsByCode)
            {
                errors[code] = errors.GetValueOrDefault(code) + count;
            }
        }

        return errors;
    }

    /// <inheritdoc />
    public void Dispose() => _perThread.Dispose();
}
