using LogQueue.Server.Tests.Infrastructure;

namespace LogQueue.Server.Tests.Protocol;

/// <summary>A server with small limits, an auth token and short timeouts, so each limit can be reached quickly.</summary>
public sealed class LimitedServerFixture : IAsyncLifetime
{
    public const string AuthToken = "s3cret-token";
    public const int MaxConnections = 3;
    public const int IdleTimeoutMs = 1500;
    public const int HandshakeTimeoutMs = 1000;
    public const int MaxMessageSize = 1024;
    public const int MaxFrameLength = 1024 + (64 << 10);

    private ProtocolServer? _server;

    public ProtocolServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public async Task InitializeAsync() => _server = await ProtocolServer.StartAsync(new Dictionary<string, string>
    {
        ["AuthToken"] = AuthToken,
        ["MaxConnections"] = $"{MaxConnections}",
        ["IdleTimeoutMs"] = $"{IdleTimeoutMs}",
        ["HandshakeTimeoutMs"] = $"{HandshakeTimeoutMs}",
        ["MaxMessageSize"] = $"{MaxMessageSize}",
        ["MaxFrameLength"] = $"{MaxFrameLength}",
        ["Durability"] = "none",
    });

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
