using BenchmarkDotNet.Attributes;
using LogQueue.Engine.Log;
using LogQueue.Engine.Queues;
using LogQueue.Engine.Queues.Messages;

namespace LogQueue.Bench.Queues;

/// <summary>
/// The whole life of a message in process, durability None, 128-byte bodies: one producer sends a batch,
/// one consumer receives up to that many and deletes them in one batch. Figures are per message, so
/// 1,000 ns per operation is the goal of 1,000,000 send+receive+delete cycles per second; the
/// "vs 1,000,000/s" column says how far off it is. Allocated bytes per operation include the body the
/// receive hands out (128 bytes plus the array header) and everything else the API hands back.
/// <para>
/// The baseline is the batch of ten, the case the goal is about; one message per call is shown against
/// it. Deletes move the queue's floor, so the log removes whole segments as the run goes and the
/// journal is checkpointed by the queue's housekeeping: disk use stays flat however long it runs.
/// </para>
/// </summary>
[Config(typeof(QueueBenchmarkConfig))]
[MemoryDiagnoser]
public class ReceiveDeleteCycleBenchmarks
{
    private const int BodyBytes = 128;
    private const int BatchSize = 10;
    private const string Queue = TemporaryQueueEngine.QueueName;

    private TemporaryQueueEngine _queues = null!;
    private QueueEngine _engine = null!;
    private SendMessageRequest _request = null!;
    private (string Id, SendMessageRequest Request)[] _sendBatch = [];
    private readonly List<(string Id, string ReceiptHandle)> _deleteBatch = new(BatchSize);
    private readonly ReceiveMessageRequest _receiveBatch = new(MaxNumberOfMessages: BatchSize, WaitTime: TimeSpan.Zero);
    private readonly ReceiveMessageRequest _receiveOne = new(MaxNumberOfMessages: 1, WaitTime: TimeSpan.Zero);

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _queues = await TemporaryQueueEngine.OpenAsync(DurabilityMode.None);
        _engine = _queues.Engine;
        _request = new SendMessageRequest(BenchMessages.Body(BodyBytes));
        _sendBatch = BenchMessages.SendBatch(_request, BatchSize);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        IReadOnlyDictionary<string, string> attributes = _engine.GetQueueAttributes(Queue, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]);
        Console.WriteLine($"// Data directory at the end: {_queues.DiskBytes() / (1 << 20)} MiB; left in the queue: {string.Join(", ", attributes.Select(a => $"{a.Key}={a.Value}"))}");
        await _queues.DisposeAsync();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = BatchSize)]
    public async Task CycleBatchOfTen()
    {
        await _engine.SendMessageBatchAsync(Queue, _sendBatch);
        IReadOnlyList<ReceivedMessage> received = await _engine.ReceiveMessageAsync(Queue, _receiveBatch);
        _deleteBatch.Clear();
        for (int i = 0; i < received.Count; i++)
        {
            _deleteBatch.Add((BenchMessages.EntryIds[i], received[i].ReceiptHandle));
        }

        IReadOnlyList<BatchResultEntry<bool>> deleted = await _engine.DeleteMessageBatchAsync(Queue, _deleteBatch);
        if (received.Count != BatchSize || !deleted[^1].Succeeded)
        {
            throw new InvalidOperationException($"A cycle received {received.Count} of {BatchSize} messages; the last delete reported {deleted[^1].Error}.");
        }
    }

    [Benchmark]
    public async Task CycleOneMessage()
    {
        await _engine.SendMessageAsync(Queue, _request);
        IReadOnlyList<ReceivedMessage> received = await _engine.ReceiveMessageAsync(Queue, _receiveOne);
        if (received.Count != 1)
        {
            throw new InvalidOperationException("A cycle received no message.");
        }

        await _engine.DeleteMessageAsync(Queue, received[0].ReceiptHandle);
    }
}
