using System.Diagnostics;
using LogQueue.Bench.Load.Histograms;
using LogQueue.Bench.Load.Options;
using LogQueue.Bench.Load.Reporting;

namespace LogQueue.Bench.Load.Runs;

/// <summary>
/// One load run against a connected client: create the queues, start consumers and producers, warm up, measure,
/// stop the producers, drain (consumers receive until every acknowledged message arrived or the drain timeout
/// passed), stop the consumers, and report. A progress sample is taken every second.
/// </summary>
internal sealed class LoadRun
{
    private static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(1);

    private readonly LoadOptions _options;
    private readonly LoadClients _clients;
    private readonly TargetLimits _limits;
    private readonly ILoadProgress _progress;
    private readonly List<ProgressSample> _timeline = [];

    public LoadRun(LoadOptions options, LoadClients clients, TargetLimits limits, ILoadProgress progress)
    {
        _options = options;
        _clients = clients;
        _limits = limits;
        _progress = progress;
    }

    public async Task<LoadReport> RunAsync(CancellationToken abort)
    {
        if (_options.Batch > _limits.MaxBatchSize)
        {
            throw new LoadOptionsException($"--batch {_options.Batch} is more than the target allows per call ({_limits.MaxBatchSize}).");
        }

        if (_options.ConsumerBatch > _limits.MaxBatchSize)
        {
            throw new LoadOptionsException($"--receive-batch {_options.ConsumerBatch} is more than the target allows per call ({_limits.MaxBatchSize}).");
        }

        if (_options.Size.Max > _limits.MaxMessageSize)
        {
            throw new LoadOptionsException($"--size {_options.Size} is more than the target's largest message ({_limits.MaxMessageSize} bytes).");
        }

        await CreateQueuesAsync(abort).ConfigureAwait(false);

        using var stopProducing = new CancellationTokenSource();
        using var stopConsuming = new CancellationTokenSource();
        using var stopSampling = CancellationTokenSource.CreateLinkedTokenSource(abort);
        var context = new LoadContext(_options, _clients, _limits, stopProducing.Token, stopConsuming.Token, abort);
        using LoadMetrics metrics = context.Metrics;
        DateTimeOffset startedAt = DateTimeOffset.UtcNow;
        long started = Stopwatch.GetTimestamp();

        context.Clock.Enter(RunPhase.Warmup);
        Task sampling = SampleAsync(context, started, stopSampling.Token);
        Task[] consumers = Enumerable.Range(0, _options.Consumers).Select(i => Task.Run(new Consumer(context, i).RunAsync, CancellationToken.None)).ToArray();
        Producer[] producerList = Enumerable.Range(0, _options.Producers).Select(i => new Producer(context, i)).ToArray();
        Task[] producers = _options.Rate is null
            ? producerList.Select(p => Task.Run(p.RunClosedLoopAsync, CancellationToken.None)).ToArray()
            : [new OpenLoopPacer(producerList, context).RunAsync()];
        Task allProducers = Task.WhenAll(producers);

        TimeSpan cpuAtStart = TimeSpan.Zero;
        TimeSpan cpuAtEnd = TimeSpan.Zero;
        long cpuSampledAt = 0;
        long cpuSampledUntil = 0;
        try
        {
            if (_options.Warmup > TimeSpan.Zero)
            {
                await Task.WhenAny(Task.Delay(_options.Warmup, abort), allProducers).ConfigureAwait(false);
            }

            abort.ThrowIfCancellationRequested();
            cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
            cpuSampledAt = Stopwatch.GetTimestamp();
            context.Clock.Enter(RunPhase.Measure, _options.Messages is null ? _options.Duration : null);
            // With --messages the producers stop on their own once the budget is spent and the window closes
            // when the last of them returns; otherwise it closes after the duration, and calls still running
            // finish and count (they started inside it) without stretching the window.
            await (_options.Messages is null
                ? Task.WhenAny(Task.Delay(_options.Duration, abort), allProducers)
                : allProducers).ConfigureAwait(false);

            cpuAtEnd = Process.GetCurrentProcess().TotalProcessorTime;
            cpuSampledUntil = Stopwatch.GetTimestamp();
            context.Clock.Enter(RunPhase.Drain);
            await stopProducing.CancelAsync().ConfigureAwait(false);
            await allProducers.ConfigureAwait(false);
            abort.ThrowIfCancellationRequested();
        }
        finally
        {
            await stopProducing.CancelAsync().ConfigureAwait(false);
            await WhenAllQuietly(producers).ConfigureAwait(false);
        }

        long drainStarted = Stopwatch.GetTimestamp();
        bool drained = _options.Consumers > 0 && await DrainAsync(context, abort).ConfigureAwait(false);
        double drainSeconds = Stopwatch.GetElapsedTime(drainStarted).TotalSeconds;
        await stopConsuming.CancelAsync().ConfigureAwait(false);
        await WhenAllQuietly(consumers).ConfigureAwait(false);
        context.Clock.Enter(RunPhase.Done);
        await stopSampling.CancelAsync().ConfigureAwait(false);
        await WhenAllQuietly([sampling]).ConfigureAwait(false);
        abort.ThrowIfCancellationRequested();

        // The CPU samples bracket the window only roughly (the run's timer may fire late): use the CPU rate between them.
        double cores = (cpuAtEnd - cpuAtStart).TotalSeconds / Math.Max(Stopwatch.GetElapsedTime(cpuSampledAt, cpuSampledUntil).TotalSeconds, 1e-9);
        return BuildReport(context, startedAt, drainSeconds, drained, cpuAtEnd - cpuAtStart, cores);
    }

    private async Task CreateQueuesAsync(CancellationToken abort)
    {
        Dictionary<string, string>? attributes = _options.QueueAttributes();
        foreach (string queue in _options.QueueNames())
        {
            await _clients.Producers.CreateQueueAsync(queue, attributes, abort).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until every acknowledged message was received; false when the drain timeout passed first.</summary>
    private async Task<bool> DrainAsync(LoadContext context, CancellationToken abort)
    {
        long deadline = Stopwatch.GetTimestamp() + (long)(_options.DrainTimeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            if (context.Ledger.Missing() == 0)
            {
                return true;
            }

            if (Stopwatch.GetTimestamp() >= deadline)
            {
                return false;
            }

            await Task.Delay(50, abort).ConfigureAwait(false);
        }
    }

    private async Task SampleAsync(LoadContext context, long started, CancellationToken stop)
    {
        var previousSend = new LatencyHistogram();
        var previousEndToEnd = new LatencyHistogram();
        var currentSend = new LatencyHistogram();
        var currentEndToEnd = new LatencyHistogram();
        var scratch = new LatencyHistogram();
        var interval = new LatencyHistogram();
        MetricsTotals previous = context.Metrics.Totals();
        long previousTimestamp = Stopwatch.GetTimestamp();
        using var timer = new PeriodicTimer(SampleInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                long now = Stopwatch.GetTimestamp();
                double seconds = Stopwatch.GetElapsedTime(previousTimestamp, now).TotalSeconds;
                MetricsTotals totals = context.Metrics.Totals();
                context.Metrics.CopyLive(currentSend, currentEndToEnd, scratch);
                interval.SetToDifference(currentSend, previousSend);
                double? sendP99 = interval.TotalCount == 0 ? null : interval.ValueAtPercentile(99) / 1000.0;
                interval.SetToDifference(currentEndToEnd, previousEndToEnd);
                double? endToEndP99 = interval.TotalCount == 0 ? null : interval.ValueAtPercentile(99) / 1000.0;
                long sentBytesDelta = totals.SentBytes - previous.SentBytes;
                var sample = new ProgressSample(
                    Math.Round(Stopwatch.GetElapsedTime(started, now).TotalSeconds, 1),
                    context.Clock.Phase.ToString(),
                    Math.Round((totals.Sent - previous.Sent) / seconds),
                    Math.Round((totals.Received - previous.Received) / seconds),
                    Math.Round(sentBytesDelta / seconds / 1e6, 2),
                    sendP99,
                    endToEndP99,
                    totals.Errors);
                _timeline.Add(sample);
                _progress.Report(sample);
                (previous, previousTimestamp) = (totals, now);
                (previousSend, currentSend) = (currentSend, previousSend);
                (previousEndToEnd, currentEndToEnd) = (currentEndToEnd, previousEndToEnd);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run is over.
        }
    }

    private LoadReport BuildReport(LoadContext context, DateTimeOffset startedAt, double drainSeconds, bool drained, TimeSpan cpu, double cores)
    {
        MetricsTotals totals = context.Metrics.Totals();
        TimeSpan window = context.Clock.Measured;
        bool consumed = _options.Consumers > 0;
        var counts = new DeliveryCounts(
            totals.Sent,
            totals.Received,
            totals.Deleted,
            context.Ledger.Duplicates,
            consumed && drained ? context.Ledger.Missing() : null,
            consumed && !drained ? context.Ledger.Missing() : null,
            context.Ledger.ReceivedUnacknowledged(),
            totals.Corrupt,
            totals.Foreign,
            context.Order?.Violations,
            consumed ? context.Ledger.SampleMissing(10) : []);
        long windowMessages = Math.Max(1, totals.WindowSent + totals.WindowReceived);
        LatencyHistogram lag = context.Metrics.Merge(m => m.SendLag);
        return new LoadReport(
            _limits.Description,
            _options,
            startedAt,
            Math.Round(window.TotalSeconds, 3),
            Math.Round(drainSeconds, 3),
            drained,
            counts,
            Throughput.Of(totals.WindowSent, totals.WindowSentBytes, window),
            Throughput.Of(totals.WindowReceived, totals.WindowReceivedBytes, window),
            Throughput.Of(totals.WindowDeleted, 0, window),
            LatencySummary.Of(context.Metrics.Merge(m => m.SendLatency)),
            LatencySummary.Of(context.Metrics.Merge(m => m.EndToEndLatency)),
            _options.Rate is null ? null : LatencySummary.Of(lag),
            context.Metrics.ErrorsByCode(),
            new CpuUsage(
                Math.Round(cpu.TotalSeconds, 3),
                Math.Round(cores, 2),
                Math.Round(cores * window.TotalMicroseconds / windowMessages, 2)),
            _timeline);
    }

    private static async Task WhenAllQuietly(Task[] tasks)
    {
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Aborted workers end with cancellation; the caller reports the abort.
        }
    }
}
