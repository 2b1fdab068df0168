using BenchmarkDotNet.Attributes;
using LogQueue.Bench.Queues;
using LogQueue.Client;
using LogQueue.Engine.Log;
using LogQueue.Engine.Queues;
using LogQueue.Protocol.Operations;
using Microsoft.Extensions.Options;

namespace LogQueue.Bench.Wire;

/// <summary>
/// One send+receive+delete cycle of ten 128-byte messages (SendMessageBatch, ReceiveMessage of ten,
/// DeleteMessageBatch), figures per message, durability None: through <see cref="EmbeddedLogQueueClient"/> in
/// process (the baseline), and through <see cref="LogQueueClient"/> to a real server process over loopback, so
/// the ratio is what the wire costs on top of the engine. Each cycle leaves the queue empty.
/// </summary>
[Config(typeof(QueueBenchmarkConfig))]
[MemoryDiagnoser]
public class ClientCycleBenchmarks
{
    private const int BatchSize = 10;
    private const string Queue = "cycle";

    private readonly ReceiveOptions _receive = new() { MaxNumberOfMessages = BatchSize, WaitTime = TimeSpan.Zero };
    private readonly List<string> _handles = new(BatchSize);
    private ServerUnderTest _server = null!;
    private LogQueueClient _remote = null!;
    private EmbeddedLogQueueClient _embedded = null!;
    private string _embeddedDirectory = null!;
    private OutgoingMessage[] _batch = [];

    // Synchronous on purpose: the in-process toolchain does not wait for a GlobalSetup's Task to finish.
    [GlobalSetup]
    public void Setup()
    {
        _batch = [.. Enumerable.Repeat(new OutgoingMessage(BenchMessages.Body(128)), BatchSize)];
        _server = ServerUnderTest.Start("none");
        _remote = LogQueueClient.ConnectAsync(new LogQueueClientOptions { Endpoint = _server.Endpoint, ClientName = "bench" }).GetAwaiter().GetResult();
        _remote.CreateQueueAsync(Queue).GetAwaiter().GetResult();
        _embeddedDirectory = Path.Combine(Path.GetTempPath(), "logqueue-bench-embedded-" + Guid.NewGuid().ToString("N"));
        _embedded = EmbeddedLogQueueClient.OpenAsync(Options.Create(new QueueEngineOptions { DataDirectory = _embeddedDirectory, Durability = DurabilityMode.None })).GetAwaiter().GetResult();
        _embedded.CreateQueueAsync(Queue).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _remote.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _embedded.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _server.Dispose();
        Directory.Delete(_embeddedDirectory, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = BatchSize)]
    public Task EmbeddedCycle() => CycleAsync(_embedded);

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public Task RemoteCycle() => CycleAsync(_remote);

    private async Task CycleAsync(ILogQueueClient client)
    {
        await client.SendMessageBatchAsync(Queue, _batch);
        _handles.Clear();
        while (_handles.Count < BatchSize)
        {
            foreach (QueueMessage message in await client.ReceiveMessagesAsync(Queue, _receive))
            {
                _handles.Add(message.ReceiptHandle);
            }
        }

        await client.DeleteMessageBatchAsync(Queue, _handles);
    }
}
