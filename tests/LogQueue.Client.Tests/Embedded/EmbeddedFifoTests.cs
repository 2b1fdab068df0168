using LogQueue.Client.Tests.Integration;
using LogQueue.Engine.Queues;
using LogQueue.TestSupport;
using Microsoft.Extensions.Options;

namespace LogQueue.Client.Tests.Embedded;

/// <summary>The FIFO scenarios through <see cref="EmbeddedLogQueueClient"/>, on a data directory of its own per test.</summary>
public sealed class EmbeddedFifoTests : FifoClientScenarios, IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _directory = new("embedded-fifo");
    private EmbeddedLogQueueClient? _client;

    protected override ILogQueueClient Client => _client ?? throw new InvalidOperationException("The client is not open.");

    public async Task InitializeAsync() =>
        _client = await EmbeddedLogQueueClient.OpenAsync(Options.Create(new QueueEngineOptions { DataDirectory = _directory.Path }));

    public async Task DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }
    }

    public void Dispose() => _directory.Dispose();
}
