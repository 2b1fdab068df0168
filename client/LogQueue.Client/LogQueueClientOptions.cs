using System.Globalization;
using LogQueue.Protocol;

namespace LogQueue.Client;

/// <summary>How <see cref="LogQueueClient"/> reaches the server and how patient it is.</summary>
public sealed class LogQueueClientOptions
{
    /// <summary>The largest <see cref="ConnectionCount"/>: more sockets than this buy nothing a pipelined connection does not.</summary>
    public const int MaxConnectionCount = 16;

    /// <summary>The server, as <c>host:port</c> (the port defaults to 7150). Default <c>127.0.0.1:7150</c>.</summary>
    public string Endpoint { get; set; } = "127.0.0.1:" + ProtocolVersion.DefaultPort.ToString(CultureInfo.InvariantCulture);

    /// <summary>The name the server logs for this client's connections.</summary>
    public string ClientName { get; set; } = "LogQueue.Client";

    /// <summary>The shared secret the server asks for, if it asks for one.</summary>
    public string? AuthToken { get; set; }

    /// <summary>
    /// Connections to open (1 to <see cref="MaxConnectionCount"/>). Default 1: one pipelined connection carries many
    /// concurrent calls, and natural batching works best when concurrent sends share a connection.
    /// </summary>
    public int ConnectionCount { get; set; } = 1;

    /// <summary>How long a call waits for its response (a receive also waits its long-poll time on top). Default 30 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one attempt to connect and complete the handshake may take. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The first wait before reconnecting after a failure; it doubles per failed attempt. Default 100 ms.</summary>
    public TimeSpan ReconnectBackoffMin { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait between reconnect attempts. Default 10 s.</summary>
    public TimeSpan ReconnectBackoffMax { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Calls one connection carries at once; further calls wait for a slot (within their timeout). Default 4096.</summary>
    public int MaxPendingRequests { get; set; } = 4096;

    /// <summary>
    /// Concurrent single sends to one queue that arrive while a write is in flight go out together as one
    /// SendMessageBatch frame; each caller still gets its own result. No timer: a lone send goes out at once. Default on.
    /// </summary>
    public bool NaturalBatching { get; set; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        _ = ParseEndpoint();
        if (string.IsNullOrWhiteSpace(ClientName))
        {
            throw new ArgumentException("ClientName must not be empty.", nameof(ClientName));
        }

        if (ConnectionCount is < 1 or > MaxConnectionCount)
        {
            throw new ArgumentException($"ConnectionCount must be 1 to {MaxConnectionCount}; it is {ConnectionCount}.", nameof(ConnectionCount));
        }

        RequirePositive(RequestTimeout, nameof(RequestTimeout));
        RequirePositive(ConnectTimeout, nameof(ConnectTimeout));
        RequirePositive(ReconnectBackoffMin, nameof(ReconnectBackoffMin));
        if (ReconnectBackoffMax < ReconnectBackoffMin)
        {
            throw new ArgumentException("ReconnectBackoffMax must not be shorter than ReconnectBackoffMin.", nameof(ReconnectBackoffMax));
        }

        if (MaxPendingRequests < 1)
        {
            throw new ArgumentException($"MaxPendingRequests must be at least 1; it is {MaxPendingRequests}.", nameof(MaxPendingRequests));
        }

        // A server reads at most this much before the handshake and closes on more: refuse here, not in a reconnect loop.
        int helloLength = 4 + 2 + 2 + 2 + System.Text.Encoding.UTF8.GetByteCount(ClientName) + 2 + (AuthToken is null ? 0 : System.Text.Encoding.UTF8.GetByteCount(AuthToken));
        if (helloLength > Protocol.ProtocolVersion.MaxHelloPayloadLength)
        {
            throw new ArgumentException(
                $"ClientName and AuthToken together make a Hello of {helloLength} bytes; a server accepts at most {Protocol.ProtocolVersion.MaxHelloPayloadLength}.",
                nameof(AuthToken));
        }
    }

    /// <summary>Splits <see cref="Endpoint"/> into host and port.</summary>
    internal (string Host, int Port) ParseEndpoint()
    {
        string endpoint = Endpoint?.Trim() ?? string.Empty;
        if (endpoint.Length == 0)
        {
            throw new ArgumentException("Endpoint must not be empty.", nameof(Endpoint));
        }

        // "[::1]:7150" and "::1" are IPv6; "host:port" and "host" the rest.
        int colon = endpoint.LastIndexOf(':');
        bool bareIpv6 = endpoint.Count(c => c == ':') > 1 && !endpoint.StartsWith('[');
        if (colon < 0 || bareIpv6 || (endpoint.StartsWith('[') && endpoint.EndsWith(']')))
        {
            return (endpoint.Trim('[', ']'), ProtocolVersion.DefaultPort);
        }

        string host = endpoint[..colon].Trim('[', ']');
        if (host.Length == 0 || !int.TryParse(endpoint.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            throw new ArgumentException($"Endpoint must be host:port with a port of 1 to 65535; it is '{Endpoint}'.", nameof(Endpoint));
        }

        return (host, port);
    }

    private static void RequirePositive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{name} must be positive; it is {value}.", name);
        }
    }
}
