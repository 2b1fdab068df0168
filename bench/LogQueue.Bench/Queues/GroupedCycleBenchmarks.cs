using BenchmarkDotNet.Attributes;
using LogQueue.Engine.Log;
using LogQueue.Engine.Queues;
using LogQueue.Engine.Queues.Messages;

namespace LogQueue.Bench.Queues;

/// <summary>
/// What fair delivery costs on a standard queue: the send+receive+delete cycle of
/// <see cref="ReceiveDeleteCycleBenchmarks"/> (batches of ten, 128-byte bodies, durability None) with messages
/// that carry no group id (the baseline, the cursor's path alone), all one group id, and group ids spread over a
/// thousand groups (a lane made active and emptied per message). Each case has its own queue in one engine.
/// </summary>
[Config(typeof(QueueBenchmarkConfig))]
[MemoryDiagnoser]
public class GroupedCycleBenchmarks
{
    private const int BodyBytes = 128;
    private const int BatchSize = 10;
    private const int ManyGroups = 1_000;

    private TemporaryQueueEngine _queues = null!;
    private QueueEngine _engine = null!;
    private (string Id, SendMessageRequest Request)[] _ungrouped = [];
    private (string Id, SendMessageRequest Request)[] _oneGroup = [];
    private (string Id, SendMessageRequest Request)[][] _manyGroups = [];
    private int _nextManyGroups;
    private readonly List<(string Id, string ReceiptHandle)> _deleteBatch = new(BatchSize);
    private readonly ReceiveMessageRequest _receive = new(MaxNumberOfMessages: BatchSize, WaitTime: TimeSpan.Zero);

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _queues = await TemporaryQueueEngine.OpenAsync(DurabilityMode.None);
        _engine = _queues.Engine;
        await _engine.CreateQueueAsync("one-group");
        await _engine.CreateQueueAsync("many-groups");
        ReadOnlyMemory<byte> body = BenchMessages.Body(BodyBytes);
        _ungrouped = BenchMessages.SendBatch(new SendMessageRequest(body), BatchSize);
        _oneGroup = BenchMessages.SendBatch(new SendMessageRequest(body, null, null, "tenant", null), BatchSize);
        _manyGroups = [.. Enumerable.Range(0, ManyGroups / BatchSize).Select(b =>
            Enumerable.Range(0, BatchSize)
                .Select(i => (BenchMessages.EntryIds[i], new SendMessageRequest(body, null, null, "tenant-" + ((b * BatchSize) + i).ToString(System.Globalization.CultureInfo.InvariantCulture), null)))
                .ToArray())];
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await _queues.DisposeAsync();

    [Benchmark(Baseline = true, OperationsPerInvoke = BatchSize)]
    public Task CycleUngrouped() => CycleAsync(TemporaryQueueEngine.QueueName, _ungrouped);

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public Task CycleOneGroup() => CycleAsync("one-group", _oneGroup);

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public Task CycleThousandGroups()
    {
        (string Id, SendMessageRequest Request)[] batch = _manyGroups[_nextManyGroups];
        _nextManyGroups = (_nextManyGroups + 1) % _manyGroups.Length;
        return CycleAsync("many-groups", batch);
    }

    private async Task CycleAsync(string queue, (string Id, SendMessageRequest Request)[] batch)
    {
        await _engine.SendMessageBatchAsync(queue, batch);
        IReadOnlyList<ReceivedMessage> received = await _engine.ReceiveMessageAsync(queue, _receive);
        _deleteBatch.Clear();
        for (int i = 0; i < received.Count; i++)
        {
            _deleteBatch.Add((BenchMessages.EntryIds[i], received[i].ReceiptHandle));
        }

        IReadOnlyList<BatchResultEntry<bool>> deleted = await _engine.DeleteMessageBatchAsync(queue, _deleteBatch);
        if (received.Count != BatchSize || !deleted[^1].Succeeded)
        {
            throw new InvalidOperationException($"A cycle on '{queue}' received {received.Count} of {BatchSize} messages; the last delete reported {deleted[^1].Error}.");
        }
    }
}
