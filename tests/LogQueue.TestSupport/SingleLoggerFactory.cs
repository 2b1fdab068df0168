using Microsoft.Extensions.Logging;

namespace LogQueue.TestSupport;

/// <summary>A logger factory whose every logger is the one given (to capture what a component logs).</summary>
public sealed class SingleLoggerFactory(ILogger logger) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => logger;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }
}
