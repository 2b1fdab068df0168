using System.Diagnostics;
using LogQueue.Server.Hosting;
using Microsoft.Extensions.Options;

namespace LogQueue.Server.Connections;

/// <summary>
/// The binary protocol connections of this server: admits them up to <see cref="ServerOptions.MaxConnections"/>,
/// counts them for Stats, and lets shutdown wait until the last one has closed.
/// </summary>
/// <remarks>
/// The limit is enforced here rather than by Kestrel's MaxConcurrentConnections, which would count HTTP health
/// probes too: a server full of protocol clients must still answer its readiness check.
/// </remarks>
internal sealed class ConnectionRegistry
{
    private readonly int _maxConnections;
    private readonly long _startedTimestamp = Stopwatch.GetTimestamp();
    private readonly Lock _lock = new();
    private int _open;
    private long _accepted;
    private long _requestsServed;
    private TaskCompletionSource? _allClosed;

    public ConnectionRegistry(IOptions<ServerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _maxConnections = options.Value.MaxConnections;
    }

    /// <summary>Connections open now (admitted and not yet closed).</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>Connections admitted since the server started.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Requests answered since the server started, errors included.</summary>
    public long RequestsServed => Interlocked.Read(ref _requestsServed);

    /// <summary>Time since the server started serving the protocol.</summary>
    public TimeSpan Uptime => Stopwatch.GetElapsedTime(_startedTimestamp);

    /// <summary>Admits a connection unless the server holds its maximum; an admitted one must be <see cref="Release"/>d.</summary>
    public bool TryAdmit()
    {
        lock (_lock)
        {
            if (_open >= _maxConnections)
            {
                return false;
            }

            _open++;
            _accepted++;
            return true;
        }
    }

    /// <summary>Forgets a closed connection.</summary>
    public void Release()
    {
        TaskCompletionSource? allClosed = null;
        lock (_lock)
        {
            _open--;
            if (_open == 0)
            {
                allClosed = _allClosed;
                _allClosed = null;
            }
        }

        allClosed?.TrySetResult();
    }

    /// <summary>Counts one answered request.</summary>
    public void CountRequest() => Interlocked.Increment(ref _requestsServed);

    /// <summary>Completes when no connection is open (at once when none is).</summary>
    public Task WaitForAllClosedAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_open == 0)
            {
                return Task.CompletedTask;
            }

            _allClosed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _allClosed.Task.WaitAsync(cancellationToken);
        }
    }
}
