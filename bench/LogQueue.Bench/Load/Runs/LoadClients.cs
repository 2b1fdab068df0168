using LogQueue.Client;

namespace LogQueue.Bench.Load.Runs;

/// <summary>
/// The clients a run uses: over the network, producers and consumers get a client (and connections) each, as
/// they would in separate services, so receives do not queue behind a flood of send batches on one connection;
/// embedded, both are the one in-process engine.
/// </summary>
/// <param name="Producers">What producers send through (and queues are created with).</param>
/// <param name="Consumers">What consumers receive and delete through.</param>
internal sealed record LoadClients(ILogQueueClient Producers, ILogQueueClient Consumers) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        await Producers.DisposeAsync().ConfigureAwait(false);
        if (!ReferenceEquals(Producers, Consumers))
        {
            await Consumers.DisposeAsync().ConfigureAwait(false);
        }
    }
}
