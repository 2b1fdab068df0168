namespace LogQueue.Server.Tests.Infrastructure;

/// <summary>One server with default options, shared by the tests of a class (each uses its own queue names).</summary>
public sealed class ProtocolServerFixture : IAsyncLifetime
{
    private ProtocolServer? _server;

    public ProtocolServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public async Task InitializeAsync() => _server = await ProtocolServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
