using System.Globalization;

namespace LogQueue.Bench.Load.Reporting;

/// <summary>One plain line per second, for output that goes to a file or a pipe (and for tests).</summary>
internal sealed class PlainProgress(TextWriter output) : ILoadProgress
{
    public void Report(ProgressSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"[{sample.Elapsed,6:0.0}s {sample.Phase,-7}] sent {sample.SentPerSecond,10:N0}/s  received {sample.ReceivedPerSecond,10:N0}/s  {sample.SentMegabytesPerSecond,8:0.00} MB/s  send p99 {ReportText.Micros(sample.SendP99),9}  e2e p99 {ReportText.Micros(sample.EndToEndP99),9}  errors {sample.Errors:N0}"));
        output.Flush();
    }
}
