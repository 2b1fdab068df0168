using BenchmarkDotNet.Attributes;
using LogQueue.Bench.Queues;
using LogQueue.Client;
using LogQueue.Protocol.Operations;

namespace LogQueue.Bench.Wire;

/// <summary>
/// Sending 128-byte messages through <see cref="LogQueueClient"/> to a real server process over loopback,
/// durability None (so the figures are the wire and the engine, not the disk). Per message: one send awaited
/// at a time (the baseline: a round trip each; Ping shows the round trip alone), 64 concurrent single sends (the client's natural batching
/// coalesces them into batch frames), and explicit batches of ten. The queue is deleted and created again
/// after every iteration so disk use stays at one iteration's messages.
/// </summary>
[Config(typeof(QueueBenchmarkConfig))]
[MemoryDiagnoser]
[InvocationCount(InvocationsPerIteration)]
public class ClientSendBenchmarks
{
    private const int Concurrency = 64;
    private const int InvocationsPerIteration = 200;
    private const string Queue = "bench";

    private ServerUnderTest _server = null!;
    private LogQueueClient _client = null!;
    private OutgoingMessage _message;
    private OutgoingMessage[] _batch = [];
    private readonly Task<SendMessageResponse>[] _sends = new Task<SendMessageResponse>[Concurrency];

    // Synchronous on purpose: the in-process toolchain does not wait for a GlobalSetup's Task to finish.
    [GlobalSetup]
    public void Setup()
    {
        _server = ServerUnderTest.Start("none");
        _client = LogQueueClient.ConnectAsync(new LogQueueClientOptions { Endpoint = _server.Endpoint, ClientName = "bench" }).GetAwaiter().GetResult();
        _client.CreateQueueAsync(Queue).GetAwaiter().GetResult();
        _message = new OutgoingMessage(BenchMessages.Body(128));
        _batch = [.. Enumerable.Repeat(_message, 10)];
    }

    [IterationCleanup]
    public void RecreateQueue()
    {
        _client.DeleteQueueAsync(Queue).GetAwaiter().GetResult();
        _client.CreateQueueAsync(Queue).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _server.Dispose();
    }

    /// <summary>The round-trip floor: a Ping, answered by the server without touching the engine.</summary>
    [Benchmark]
    public Task<TimeSpan> Ping() => _client.PingAsync();

    [Benchmark(Baseline = true)]
    public async Task SendOneAtATime() => await _client.SendMessageAsync(Queue, _message);

    [Benchmark(OperationsPerInvoke = Concurrency)]
    public async Task SendSixtyFourConcurrently()
    {
        for (int i = 0; i < Concurrency; i++)
        {
            _sends[i] = _client.SendMessageAsync(Queue, _message);
        }

        await Task.WhenAll(_sends);
    }

    [Benchmark(OperationsPerInvoke = 10)]
    public async Task SendBatchOfTen() => await _client.SendMessageBatchAsync(Queue, _batch);
}
