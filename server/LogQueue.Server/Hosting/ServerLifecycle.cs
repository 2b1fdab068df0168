using System.Globalization;
using System.Net;
using LogQueue.Engine.Log;
using LogQueue.Server.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LogQueue.Server.Hosting;

/// <summary>
/// Says when the server is up and when it is down, and releases the data directory lock at the very end.
/// </summary>
/// <remarks>
/// The host runs every service's StopAsync before any StoppedAsync, and stops Kestrel (registered last) before the
/// queue engine host, so by <see cref="StoppedAsync"/> Kestrel has stopped accepting and has finished (or, after the
/// shutdown timeout, abandoned) the connections in flight, and the engine has flushed and closed. Only then may
/// another server take the directory.
/// </remarks>
internal sealed partial class ServerLifecycle(
    DataDirectory dataDirectory,
    ServerEndpoints endpoints,
    IOptions<ServerOptions> options,
    ILogger<ServerLifecycle> logger) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Runs after Kestrel has bound its listeners, so the endpoints logged are the real ones (port 0 resolved).
    /// Tests and scripts parse this line; keep its shape:
    /// <c>LogQueue server 0.1.0 started; protocol on 127.0.0.1:7150; HTTP on http://127.0.0.1:7151; data directory /x/data; durability always</c>.
    /// </summary>
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        string protocol = endpoints.Protocol?.ToString() ?? "(none)";
        string http = endpoints.Http is IPEndPoint endpoint ? $"http://{endpoint}" : "(none)";
        string durability = DescribeDurability(options.Value);
        LogStarted(logger, ServerVersion.Current, protocol, http, dataDirectory.FullPath, durability);
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

    private static string DescribeDurability(ServerOptions options)
    {
        DurabilityMode mode = options.ParseDurability();
        string name = mode.ToString().ToLowerInvariant();
        return mode == DurabilityMode.Interval
            ? string.Create(CultureInfo.InvariantCulture, $"{name} (flush every {options.FlushIntervalMs} ms)")
            : name;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "LogQueue server {Version} started; protocol on {ProtocolEndpoint}; HTTP on {HttpEndpoint}; data directory {DataDirectory}; durability {Durability}")]
    private static partial void LogStarted(ILogger logger, string version, string protocolEndpoint, string httpEndpoint, string dataDirectory, string durability);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Shutting down: no longer accepting connections, finishing requests in flight, then flushing the queue engine")]
    private static partial void LogStopping(ILogger logger);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "LogQueue server stopped")]
    private static partial void LogStopped(ILogger logger);
}
