using LogQueue.Server.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LogQueue.Server.Hosting;

/// <summary>
/// Says when the server is up and when it is down, and releases the data directory lock at the very end.
/// </summary>
/// <remarks>
/// The host stops hosted services in reverse order of registration and registers Kestrel's service after the
/// application's, so by <see cref="StoppedAsync"/> Kestrel has stopped accepting and has finished (or, after the
/// shutdown timeout, abandoned) the requests in flight. Only then may another server take the directory.
/// </remarks>
internal sealed partial class ServerLifecycle(DataDirectory dataDirectory, IServer server, ILogger<ServerLifecycle> logger)
    : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs after Kestrel has bound its listeners, so the endpoint logged is the real one (port 0 resolved).</summary>
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        ICollection<string>? addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses;
        string http = addresses is { Count: > 0 } ? string.Join(", ", addresses) : "(none)";
        LogStarted(logger, ServerVersion.Current, http, dataDirectory.FullPath);
        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        LogStopping(logger);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        dataDirectory.Close();
        LogStopped(logger);
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "LogQueue server {Version} started; HTTP on {HttpEndpoint}; data directory {DataDirectory}")]
    private static partial void LogStarted(ILogger logger, string version, string httpEndpoint, string dataDirectory);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Shutting down: no longer accepting connections, finishing requests in flight")]
    private static partial void LogStopping(ILogger logger);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "LogQueue server stopped")]
    private static partial void LogStopped(ILogger logger);
}
