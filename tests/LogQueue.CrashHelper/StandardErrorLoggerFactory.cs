using Microsoft.Extensions.Logging;

namespace LogQueue.CrashHelper;

/// <summary>Hands the queue engine a <see cref="StandardErrorLogger"/> for every category.</summary>
internal sealed class StandardErrorLoggerFactory : ILoggerFactory
{
    private readonly StandardErrorLogger _logger = new();

    public ILogger CreateLogger(string categoryName) => _logger;

    public void AddProvider(ILoggerProvider provider)
    {
        // One destination only: standard error, where the crash tests collect it.
    }

    public void Dispose()
    {
        // Nothing to release.
    }
}
