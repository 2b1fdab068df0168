using LogQueue.Protocol;
using LogQueue.Protocol.Framing;
using LogQueue.Server.Dispatch;
using LogQueue.Server.Hosting;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LogQueue.Server.Connections;

/// <summary>
/// Serves the binary protocol on <c>LogQueue:Port</c>: admits a connection up to
/// <see cref="ServerOptions.MaxConnections"/> and hands it to a <see cref="ProtocolConnection"/>.
/// </summary>
internal sealed class BinaryProtocolConnectionHandler : ConnectionHandler
{
    private readonly RequestDispatcher _dispatcher;
    private readonly ConnectionRegistry _registry;
    private readonly ServerStopping _stopping;
    private readonly ServerOptions _options;
    private readonly byte[]? _authTokenHash;
    private readonly ILogger<BinaryProtocolConnectionHandler> _logger;

    public BinaryProtocolConnectionHandler(
        RequestDispatcher dispatcher,
        ConnectionRegistry registry,
        ServerStopping stopping,
        IOptions<ServerOptions> options,
        ILogger<BinaryProtocolConnectionHandler> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _dispatcher = dispatcher;
        _registry = registry;
        _stopping = stopping;
        _options = options.Value;
        _authTokenHash = ProtocolConnection.HashAuthToken(_options.AuthToken);
        _logger = logger;
    }

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (_stopping.IsStopping)
        {
            await RefuseAsync(connection, ErrorCode.ShuttingDown, "The server is shutting down; reconnect once it is back.").ConfigureAwait(false);
            return;
        }

        if (!_registry.TryAdmit())
        {
            ConnectionLog.TooManyConnections(_logger, connection.RemoteEndPoint?.ToString() ?? "(unknown)", _options.MaxConnections);
            await RefuseAsync(connection, ErrorCode.TooManyConnections, $"The server holds its maximum of {_options.MaxConnections} connections; retry later.").ConfigureAwait(false);
            return;
        }

        try
        {
            var session = new ProtocolConnection(connection, _dispatcher, _registry, _options, _authTokenHash, _logger, _stopping.Token);
            await session.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            _registry.Release();
        }
    }

    /// <summary>
    /// Tells a connection why it is refused (request id 0: a notice, not an answer) and closes it, without reading
    /// anything it sent: a refused connection costs no more than this one frame.
    /// </summary>
    private static async Task RefuseAsync(ConnectionContext connection, ErrorCode code, string message)
    {
        try
        {
            FrameWriter.WriteError(connection.Transport.Output, 0, 0, code, message);
            await connection.Transport.Output.FlushAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ConnectionResetException or OperationCanceledException or InvalidOperationException)
        {
            // Gone already; nothing to tell.
        }
    }
}
