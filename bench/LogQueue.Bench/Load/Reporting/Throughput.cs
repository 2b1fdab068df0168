namespace LogQueue.Bench.Load.Reporting;

/// <summary>A rate over the measured window.</summary>
/// <param name="Messages">Messages in the window.</param>
/// <param name="MessagesPerSecond">Messages per second.</param>
/// <param name="MegabytesPerSecond">Body bytes per second, in MB (10^6 bytes).</param>
public sealed record Throughput(long Messages, double MessagesPerSecond, double MegabytesPerSecond)
{
    /// <summary>The rate of <paramref name="messages"/> and <paramref name="bytes"/> over <paramref name="window"/>.</summary>
    public static Throughput Of(long messages, long bytes, TimeSpan window)
    {
        double seconds = Math.Max(window.TotalSeconds, 1e-9);
        return new Throughput(messages, Math.Round(messages / seconds), Math.Round(bytes / seconds / 1e6, 2));
    }
}
