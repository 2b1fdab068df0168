using Microsoft.Extensions.Logging;

namespace LogQueue.TestSupport;

/// <summary>A logger factory whose loggers, of every category, write into one <see cref="CapturingLogger"/>.</summary>
public sealed class CapturingLoggerFactory : ILoggerFactory
{
    public CapturingLogger Logger { get; } = new();

    public IReadOnlyList<LogEntry> Entries => Logger.Entries;

    public ILogger CreateLogger(string categoryName) => Logger;

    public void AddProvider(ILoggerProvider provider)
    {
        // Everything goes to the one capturing logger.
    }

    public void Dispose()
    {
        // Nothing to release.
    }
}
