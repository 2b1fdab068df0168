namespace LogQueue.Client.Tests.Integration.Infrastructure;

/// <summary>
/// One real server and one client on it, shared by the tests of a class (each test uses its own queue names), so
/// the process starts once per class rather than once per test.
/// </summary>
public sealed class RealServerFixture : IAsyncLifetime
{
    private RealServer? _server;
    private LogQueueClient? _client;

    public RealServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public LogQueueClient Client => _client ?? throw new InvalidOperationException("The client has not connected.");

    public async Task InitializeAsync()
    {
        _server = await RealServer.StartAsync();
        _client = await _server.ConnectAsync();
    }

    public async Task DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
