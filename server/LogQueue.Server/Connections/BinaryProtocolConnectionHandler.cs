using Microsoft.AspNetCore.Connections;

namespace LogQueue.Server.Connections;

/// <summary>
/// Serves the binary protocol on <c>LogQueue:Port</c>.
/// </summary>
/// <remarks>
/// A placeholder, kept tiny on purpose: it closes every connection at once. The real handler (handshake,
/// frames, dispatch to <see cref="Queues.QueueEngineHost.Engine"/>, <see cref="Hosting.ServerStopping"/> for long
/// polls, the limits in <see cref="Hosting.ServerOptions"/>) is being written alongside and replaces this file.
/// </remarks>
internal sealed class BinaryProtocolConnectionHandler : ConnectionHandler
{
    public override Task OnConnectedAsync(ConnectionContext connection) => Task.CompletedTask;
}
