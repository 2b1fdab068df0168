using System.Globalization;
using System.Text;

namespace LogQueue.Bench.Load.Reporting;

/// <summary>The report as plain text: what a person reads at the end of <c>load</c>.</summary>
internal static class ReportText
{
    /// <summary>A latency in µs as a short text: 85 µs, 1.25 ms, 2.10 s; "-" for none.</summary>
    public static string Micros(double? microseconds) => microseconds switch
    {
        null => "-",
        < 1000 => string.Create(CultureInfo.InvariantCulture, $"{microseconds:0} µs"),
        < 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{microseconds / 1000:0.00} ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{microseconds / 1_000_000:0.00} s"),
    };

    public static string Describe(LoadReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        Options.LoadOptions w = report.Workload;
        var text = new StringBuilder();
        CultureInfo c = CultureInfo.InvariantCulture;
        string loop = w.Rate is { } rate ? string.Create(c, $"open loop at {rate:N0} msgs/s") : "closed loop";
        string queues = w.Queues == 1 ? w.QueueNames()[0] : string.Create(c, $"{w.Queues} queues");
        string fifo = w.Fifo
            ? string.Create(c, $", FIFO with {w.Groups} groups{(w.FifoThroughput == Engine.Queues.FifoThroughputLimit.PerMessageGroupId ? " (high throughput: perMessageGroupId)" : string.Empty)}")
            : string.Empty;
        text.AppendLine(c, $"LogQueue load against {report.Target}");
        text.AppendLine(c, $"  {queues}{fifo}; {w.Producers} producers, {w.Consumers} consumers, {w.Size} B bodies, batch {w.Batch}{(w.ReceiveBatch is { } rb ? string.Create(c, $" (receive {rb})") : string.Empty)}, {loop}");
        text.AppendLine(c, $"  measured {report.MeasuredSeconds:0.0} s after {w.Warmup.TotalSeconds:0.#} s warm-up; drain {report.DrainSeconds:0.0} s");
        text.AppendLine();
        text.AppendLine("                      messages/s        MB/s    messages");
        text.AppendLine(c, $"  produce         {report.Produce.MessagesPerSecond,14:N0} {report.Produce.MegabytesPerSecond,11:0.00} {report.Produce.Messages,11:N0}");
        text.AppendLine(c, $"  consume         {report.Consume.MessagesPerSecond,14:N0} {report.Consume.MegabytesPerSecond,11:0.00} {report.Consume.Messages,11:N0}");
        text.AppendLine(c, $"  delete          {report.Deleted.MessagesPerSecond,14:N0} {string.Empty,11} {report.Deleted.Messages,11:N0}");
        text.AppendLine();
        text.AppendLine("  latency                  p50        p90        p99      p99.9        max");
        AppendLatency(text, "send ack", report.SendLatency);
        AppendLatency(text, "end to end", report.EndToEndLatency);
        if (report.SendLag is { } lag)
        {
            AppendLatency(text, "send lag", lag);
        }

        text.AppendLine();
        DeliveryCounts n = report.Counts;
        text.AppendLine(c, $"  sent {n.Sent:N0}, received {n.Received:N0}, deleted {n.Deleted:N0}, duplicates {n.Duplicates:N0}, lost {LostText(n)}");
        if (n.ReceivedUnacknowledged > 0 || n.Corrupt > 0 || n.Foreign > 0 || n.OrderViolations > 0)
        {
            text.AppendLine(c, $"  received unacknowledged {n.ReceivedUnacknowledged:N0}, corrupt {n.Corrupt:N0}, from other runs {n.Foreign:N0}, out of order {n.OrderViolations ?? 0:N0}");
        }

        if (n.LostSample.Count > 0)
        {
            text.AppendLine(c, $"  {(n.Lost is null ? "unconfirmed" : "lost")} (producer/counter): {string.Join(", ", n.LostSample)}");
        }

        text.AppendLine(report.Errors.Count == 0
            ? "  errors: none"
            : "  errors: " + string.Join(", ", report.Errors.Select(e => string.Create(c, $"{e.Key} {e.Value:N0}"))));
        text.AppendLine(c, $"  client CPU: {report.ClientCpu.Seconds:0.00} s ({report.ClientCpu.Cores:0.00} cores), {report.ClientCpu.MicrosecondsPerMessage:0.0} µs per message sent or received");
        text.AppendLine(report.Passed
            ? "  result: PASS (every acknowledged message received intact)"
            : "  result: FAIL (" + FailureReason(report) + ")");
        return text.ToString();
    }

    /// <summary>The lost count, or why there is none.</summary>
    public static string LostText(DeliveryCounts n) => n switch
    {
        { Lost: { } lost } => lost.ToString("N0", CultureInfo.InvariantCulture),
        { Unconfirmed: { } unconfirmed } => string.Create(CultureInfo.InvariantCulture, $"unknown ({unconfirmed:N0} not received when the drain timed out)"),
        _ => "not checked (no consumers)",
    };

    private static void AppendLatency(StringBuilder text, string name, LatencySummary s)
    {
        if (s.Count == 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {name,-16} {"-",10}");
            return;
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  {name,-16} {Micros(s.P50),10} {Micros(s.P90),10} {Micros(s.P99),10} {Micros(s.P999),10} {Micros(s.Max),10}");
    }

    private static string FailureReason(LoadReport report)
    {
        var reasons = new List<string>();
        if (report.Counts.Lost > 0)
        {
            reasons.Add("messages lost");
        }

        if (report.Counts.Corrupt > 0)
        {
            reasons.Add("corrupt bodies");
        }

        if (report.Counts.OrderViolations > 0)
        {
            reasons.Add("order broken within a group");
        }

        if (report.Counts.Unconfirmed is { } unconfirmed)
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"drain timed out with {unconfirmed:N0} messages not yet received; raise --drain-timeout or add consumers"));
        }

        return string.Join(", ", reasons);
    }
}
