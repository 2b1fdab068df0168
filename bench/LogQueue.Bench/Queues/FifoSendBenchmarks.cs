using BenchmarkDotNet.Attributes;
using LogQueue.Engine.Log;
using LogQueue.Engine.Queues;
using LogQueue.Engine.Queues.Messages;

namespace LogQueue.Bench.Queues;

/// <summary>
/// The cost of FIFO deduplication on the send path: 128-byte messages sent in process with durability None to a
/// standard queue (the baseline) and to a FIFO queue, every message with its own deduplication id, over 1,000 message
/// groups; one by one and in batches of ten. Figures are per message. As in <see cref="SendBenchmarks"/>, both queues
/// are deleted and created again after every iteration (so each iteration starts with an empty window and sends
/// 500,000 messages into it), and the invocation count is fixed.
/// <para>
/// The requests are built once: a producer's id strings are its own cost, not the queue's. Reading 500,000 distinct
/// request objects costs cache misses that one reused request does not, so StandardGroupedOneByOne sends the same
/// kind of distinct requests (with group ids, no deduplication id) to the standard queue: FIFO against it is the cost
/// of deduplication alone. The content-hash case
/// (ContentBasedDeduplication, no id) adds a SHA-256 of the body and a 64-character id string per message.
/// </para>
/// </summary>
[Config(typeof(QueueBenchmarkConfig))]
[MemoryDiagnoser]
[InvocationCount(InvocationsPerIteration)]
public class FifoSendBenchmarks
{
    private const int BodyBytes = 128;
    private const int BatchSize = 10;
    private const int Groups = 1000;
    private const int InvocationsPerIteration = 50_000;
    private const int MessagesPerIteration = InvocationsPerIteration * BatchSize;
    private const string Standard = TemporaryQueueEngine.QueueName;
    private const string Fifo = "bench.fifo";
    private const string ContentFifo = "bench-content.fifo";

    private TemporaryQueueEngine _queues = null!;
    private QueueEngine _engine = null!;
    private SendMessageRequest _standard = null!;
    private (string Id, SendMessageRequest Request)[] _standardBatch = [];
    private SendMessageRequest[] _grouped = [];
    private SendMessageRequest[] _fifo = [];
    private SendMessageRequest[] _contentFifo = [];
    private (string Id, SendMessageRequest Request)[][] _fifoBatches = [];
    private int _next;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _queues = await TemporaryQueueEngine.OpenAsync(DurabilityMode.None);
        _engine = _queues.Engine;
        await CreateFifoQueuesAsync();
        ReadOnlyMemory<byte> body = BenchMessages.Body(BodyBytes);
        _standard = new SendMessageRequest(body);
        _standardBatch = BenchMessages.SendBatch(_standard, BatchSize);
        string[] groups = [.. Enumerable.Range(0, Groups).Select(g => "group-" + g.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        _fifo = [.. Enumerable.Range(0, MessagesPerIteration).Select(i => new SendMessageRequest(
            body,
            MessageGroupId: groups[i % Groups],
            MessageDeduplicationId: Guid.NewGuid().ToString("N")))];

        // The control for the FIFO case: as many distinct request objects, read in the same order, with the same group
        // ids, to a standard queue (a fair queue takes group ids): what remains between the two is deduplication.
        _grouped = [.. Enumerable.Range(0, MessagesPerIteration).Select(i => new SendMessageRequest(body, MessageGroupId: groups[i % Groups]))];

        // Distinct bodies, so that content-based deduplication keeps every message.
        _contentFifo = [.. Enumerable.Range(0, MessagesPerIteration).Select(i =>
        {
            byte[] distinct = body.ToArray();
            BitConverter.TryWriteBytes(distinct, i);
            return new SendMessageRequest(distinct, MessageGroupId: groups[i % Groups]);
        })];
        _fifoBatches = [.. _fifo.Chunk(BatchSize).Select(chunk => chunk.Select((r, i) => (BenchMessages.EntryIds[i], r)).ToArray())];
    }

    [IterationSetup]
    public void Rewind() => _next = 0;

    [IterationCleanup]
    public void DropSentMessages()
    {
        _queues.RecreateQueueAsync().GetAwaiter().GetResult();
        _engine.DeleteQueueAsync(Fifo).GetAwaiter().GetResult();
        _engine.DeleteQueueAsync(ContentFifo).GetAwaiter().GetResult();
        CreateFifoQueuesAsync().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await _queues.DisposeAsync();

    [Benchmark(Baseline = true, OperationsPerInvoke = BatchSize)]
    public async Task StandardOneByOne()
    {
        for (int i = 0; i < BatchSize; i++)
        {
            await _engine.SendMessageAsync(Standard, _standard);
        }
    }

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public async Task StandardGroupedOneByOne()
    {
        for (int i = 0; i < BatchSize; i++)
        {
            await _engine.SendMessageAsync(Standard, _grouped[_next++]);
        }
    }

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public async Task FifoOneByOne()
    {
        for (int i = 0; i < BatchSize; i++)
        {
            await _engine.SendMessageAsync(Fifo, _fifo[_next++]);
        }
    }

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public async Task FifoContentHashOneByOne()
    {
        for (int i = 0; i < BatchSize; i++)
        {
            await _engine.SendMessageAsync(ContentFifo, _contentFifo[_next++]);
        }
    }

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public Task<IReadOnlyList<BatchResultEntry<SendMessageResult>>> StandardBatchOfTen() => _engine.SendMessageBatchAsync(Standard, _standardBatch);

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public Task<IReadOnlyList<BatchResultEntry<SendMessageResult>>> FifoBatchOfTen() => _engine.SendMessageBatchAsync(Fifo, _fifoBatches[_next++]);

    private async Task CreateFifoQueuesAsync()
    {
        await _engine.CreateQueueAsync(Fifo, new Dictionary<string, string> { ["FifoQueue"] = "true" });
        await _engine.CreateQueueAsync(ContentFifo, new Dictionary<string, string> { ["FifoQueue"] = "true", ["ContentBasedDeduplication"] = "true" });
    }
}
