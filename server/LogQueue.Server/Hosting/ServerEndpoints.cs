using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace LogQueue.Server.Hosting;

/// <summary>
/// The server's two listeners as Kestrel bound them. Kestrel replaces a listener's endpoint with the bound one,
/// so after start-up a configured port 0 reads as the port the system picked.
/// </summary>
internal sealed class ServerEndpoints
{
    private ListenOptions? _protocol;
    private ListenOptions? _http;

    /// <summary>The binary protocol endpoint; null when Kestrel was not configured (invalid options).</summary>
    public IPEndPoint? Protocol => _protocol?.IPEndPoint;

    /// <summary>The HTTP endpoint; null when Kestrel was not configured (invalid options).</summary>
    public IPEndPoint? Http => _http?.IPEndPoint;

    internal void SetListeners(ListenOptions protocol, ListenOptions http)
    {
        _protocol = protocol;
        _http = http;
    }
}
