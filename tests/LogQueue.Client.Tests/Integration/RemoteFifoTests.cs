using LogQueue.Client.Tests.Integration.Infrastructure;

namespace LogQueue.Client.Tests.Integration;

/// <summary>The FIFO scenarios through <see cref="LogQueueClient"/> against the real server process.</summary>
[Trait("Category", "Integration")]
public sealed class RemoteFifoTests(RealServerFixture fixture) : FifoClientScenarios, IClassFixture<RealServerFixture>
{
    protected override ILogQueueClient Client => fixture.Client;
}
