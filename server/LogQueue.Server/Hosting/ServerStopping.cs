using Microsoft.Extensions.Hosting;

namespace LogQueue.Server.Hosting;

/// <summary>
/// Signals that the server is shutting down. Work that can wait a long time (a long-poll receive) observes
/// <see cref="Token"/> and returns what it has, usually nothing, so that the shutdown's "finish what is in
/// flight" step ends at once instead of running into the shutdown timeout.
/// </summary>
/// <remarks>
/// The host cancels it (IHostApplicationLifetime.ApplicationStopping) as the first step of stopping, before
/// Kestrel stops accepting, and long before the queue engine flushes and closes.
/// </remarks>
internal sealed class ServerStopping(IHostApplicationLifetime lifetime)
{
    /// <summary>Cancelled when shutdown begins (SIGTERM, SIGINT, or the host asked to stop).</summary>
    public CancellationToken Token => lifetime.ApplicationStopping;

    /// <summary>True once shutdown has begun.</summary>
    public bool IsStopping => lifetime.ApplicationStopping.IsCancellationRequested;
}
