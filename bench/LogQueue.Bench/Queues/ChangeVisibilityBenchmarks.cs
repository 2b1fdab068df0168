using BenchmarkDotNet.Attributes;
using LogQueue.Engine.Log;
using LogQueue.Engine.Queues;
using LogQueue.Engine.Queues.Messages;

namespace LogQueue.Bench.Queues;

/// <summary>
/// Extending the visibility timeout of ten received messages: ten ChangeMessageVisibility calls (the
/// baseline) against one ChangeMessageVisibilityBatch. Figures are per message. The same ten messages
/// stay in flight for the whole run; each change moves their entries on the engine's timer wheel. A
/// visibility change writes nothing to disk (the journal records receives and deletes only), so the
/// durability mode does not matter here; the suite uses None like the others.
/// </summary>
[Config(typeof(QueueBenchmarkConfig))]
[MemoryDiagnoser]
public class ChangeVisibilityBenchmarks
{
    private const int BatchSize = 10;
    private const string Queue = TemporaryQueueEngine.QueueName;

    // Long enough that nothing times out during a run, short enough that the 12-hour cap since the receive is far away.
    private static readonly TimeSpan Extension = TimeSpan.FromMinutes(5);

    private TemporaryQueueEngine _queues = null!;
    private QueueEngine _engine = null!;
    private string[] _receiptHandles = [];
    private (string Id, string ReceiptHandle, TimeSpan VisibilityTimeout)[] _batch = [];

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _queues = await TemporaryQueueEngine.OpenAsync(DurabilityMode.None);
        _engine = _queues.Engine;
        var request = new SendMessageRequest(BenchMessages.Body(128));
        await _engine.SendMessageBatchAsync(Queue, BenchMessages.SendBatch(request, BatchSize));
        IReadOnlyList<ReceivedMessage> received = await _engine.ReceiveMessageAsync(Queue, new ReceiveMessageRequest(BatchSize, Extension, TimeSpan.Zero));
        if (received.Count != BatchSize)
        {
            throw new InvalidOperationException($"Received {received.Count} of {BatchSize} messages.");
        }

        _receiptHandles = [.. received.Select(m => m.ReceiptHandle)];
        _batch = [.. received.Select((m, i) => (BenchMessages.EntryIds[i], m.ReceiptHandle, Extension))];
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await _queues.DisposeAsync();

    [Benchmark(Baseline = true, OperationsPerInvoke = BatchSize)]
    public void ChangeOneByOne()
    {
        foreach (string handle in _receiptHandles)
        {
            _engine.ChangeMessageVisibility(Queue, handle, Extension);
        }
    }

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public IReadOnlyList<BatchResultEntry<bool>> ChangeBatchOfTen()
    {
        IReadOnlyList<BatchResultEntry<bool>> results = _engine.ChangeMessageVisibilityBatch(Queue, _batch);
        if (!results[^1].Succeeded)
        {
            throw new InvalidOperationException($"A visibility change failed: {results[^1].Error} {results[^1].ErrorMessage}");
        }

        return results;
    }
}
