using BenchmarkDotNet.Attributes;
using LogQueue.Engine.Log;
using LogQueue.Engine.Queues;
using LogQueue.Engine.Queues.Messages;

namespace LogQueue.Bench.Queues;

/// <summary>
/// Sending 128-byte messages in process with durability None: ten SendMessage calls (the baseline)
/// against one SendMessageBatch of ten. Figures are per message.
/// <para>
/// Nothing consumes here, so after every iteration the queue is deleted and created again: disk use stays
/// at one iteration's messages instead of growing for the whole run. That needs an IterationCleanup, so
/// the invocation count is fixed rather than found by the pilot stage. Both cases send the same 500,000
/// messages per iteration (168 bytes each on disk), so each iteration rolls the 64 MiB segment about once,
/// close to the steady state of one roll per 400,000 messages; the roll's fdatasync and the background
/// preparation of the next spare segment are part of the figures.
/// </para>
/// </summary>
[Config(typeof(QueueBenchmarkConfig))]
[MemoryDiagnoser]
[InvocationCount(InvocationsPerIteration)]
public class SendBenchmarks
{
    private const int BodyBytes = 128;
    private const int BatchSize = 10;
    private const int InvocationsPerIteration = 50_000;
    private const string Queue = TemporaryQueueEngine.QueueName;

    private TemporaryQueueEngine _queues = null!;
    private QueueEngine _engine = null!;
    private SendMessageRequest _request = null!;
    private (string Id, SendMessageRequest Request)[] _batch = [];
    private long _largestDiskBytes;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _queues = await TemporaryQueueEngine.OpenAsync(DurabilityMode.None);
        _engine = _queues.Engine;
        _request = new SendMessageRequest(BenchMessages.Body(BodyBytes));
        _batch = BenchMessages.SendBatch(_request, BatchSize);
    }

    [IterationCleanup]
    public void DropSentMessages()
    {
        _largestDiskBytes = Math.Max(_largestDiskBytes, _queues.DiskBytes());
        _queues.RecreateQueueAsync().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        Console.WriteLine($"// Largest data directory at the end of an iteration: {_largestDiskBytes / (1 << 20)} MiB");
        await _queues.DisposeAsync();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = BatchSize)]
    public async Task SendOneByOne()
    {
        for (int i = 0; i < BatchSize; i++)
        {
            await _engine.SendMessageAsync(Queue, _request);
        }
    }

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public Task<IReadOnlyList<BatchResultEntry<SendMessageResult>>> SendBatchOfTen() => _engine.SendMessageBatchAsync(Queue, _batch);
}
