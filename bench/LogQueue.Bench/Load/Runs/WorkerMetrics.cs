using LogQueue.Bench.Load.Histograms;

namespace LogQueue.Bench.Load.Runs;

/// <summary>
/// One thread's counters and histograms. Only its thread writes them (plain increments, no locks); the progress
/// view reads them while they grow and the report adds every thread's together once the workers stopped.
/// Totals count every phase (they decide loss and duplicates); the window figures count the measured window.
/// </summary>
internal sealed class WorkerMetrics
{
    private readonly Dictionary<string, long> _errors = new(StringComparer.Ordinal);

    /// <summary>Messages whose send was acknowledged, in every phase.</summary>
    public long Sent;

    /// <summary>Body bytes of <see cref="Sent"/>.</summary>
    public long SentBytes;

    /// <summary>Messages received for the first time or again, in every phase.</summary>
    public long Received;

    /// <summary>Messages whose delete was acknowledged, in every phase.</summary>
    public long Deleted;

    /// <summary>Failed calls or batch entries, in every phase.</summary>
    public long Errors;

    /// <summary>Received bodies that failed their checksum or were not load messages at all.</summary>
    public long Corrupt;

    /// <summary>Received load messages of another run (left in the queue before this one started); deleted, not counted.</summary>
    public long Foreign;

    /// <summary>Acknowledged sends that started in the window.</summary>
    public long WindowSent;

    /// <summary>Body bytes of <see cref="WindowSent"/>.</summary>
    public long WindowSentBytes;

    /// <summary>Messages received in the window.</summary>
    public long WindowReceived;

    /// <summary>Body bytes of <see cref="WindowReceived"/>.</summary>
    public long WindowReceivedBytes;

    /// <summary>Messages whose delete was acknowledged in the window.</summary>
    public long WindowDeleted;

    /// <summary>Send to acknowledgement, per message, for sends started in the window.</summary>
    public LatencyHistogram SendLatency { get; } = new();

    /// <summary>Send to receive, per message, for messages sent in the window.</summary>
    public LatencyHistogram EndToEndLatency { get; } = new();

    /// <summary>Open loop: how late each send went out after its intended time, in the window.</summary>
    public LatencyHistogram SendLag { get; } = new();

    /// <summary>Send latency in every phase, for the progress view.</summary>
    public LatencyHistogram LiveSendLatency { get; } = new();

    /// <summary>End-to-end latency in every phase, for the progress view.</summary>
    public LatencyHistogram LiveEndToEndLatency { get; } = new();

    /// <summary>Failures by code name (in every phase); read only after the workers stopped.</summary>
    public IReadOnlyDictionary<string, long> ErrorsByCode => _errors;

    /// <summary>Counts <paramref name="count"/> failures with <paramref name="code"/>.</summary>
    public void RecordError(string code, long count = 1)
    {
        _errors[code] = _errors.GetValueOrDefault(code) + count;
        Errors += count;
    }
}
