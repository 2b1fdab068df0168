using System.Net;
using System.Net.Sockets;

namespace LogQueue.TestSupport;

/// <summary>A TCP port on 127.0.0.1 that was free a moment ago (the system picked it for a listener we then closed).</summary>
public static class FreeTcpPort
{
    public static int Next()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }
}
