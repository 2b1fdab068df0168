using System.Globalization;
using BenchmarkDotNet.Attributes;
using LogQueue.Engine.Log;
using LogQueue.Engine.Queues;
using LogQueue.Engine.Queues.Messages;

namespace LogQueue.Bench.Queues;

/// <summary>
/// Receive+delete throughput of a standard queue against a FIFO queue limited per queue (one partition) and one in
/// high-throughput mode (perMessageGroupId, partitioned groups), in process, durability None, 128-byte bodies. Each
/// iteration starts from a backlog of 50,000 messages spread over 1,000 groups (the standard queue's carry no
/// group), sent in the iteration's setup and not measured; consumers then receive up to ten and delete them in one
/// batch until the backlog is gone. Figures are per message. The baseline is the standard queue with the same
/// number of consumers: the goal is FIFO within 2x of it.
/// </summary>
[Config(typeof(QueueBenchmarkConfig))]
[MemoryDiagnoser]
[InvocationCount(1)]
public class FifoReceiveDeleteBenchmarks
{
    public enum QueueKind
    {
        Standard,
        FifoPerQueue,
        FifoPerMessageGroupId,
    }

    private const int BodyBytes = 128;
    private const int BatchSize = 10;
    private const int Groups = 1000;
    private const int Backlog = 50_000;

    private static readonly string[] QueueNames = ["bench", "bench-per-queue.fifo", "bench-per-group.fifo"];

    private readonly ReceiveMessageRequest _receive = new(MaxNumberOfMessages: BatchSize, VisibilityTimeout: TimeSpan.FromMinutes(5), WaitTime: TimeSpan.Zero);
    private TemporaryQueueEngine _queues = null!;
    private QueueEngine _engine = null!;
    private ReadOnlyMemory<byte> _body;
    private long _sent;
    private int _consumed;

    [Params(QueueKind.Standard, QueueKind.FifoPerQueue, QueueKind.FifoPerMessageGroupId)]
    public QueueKind Kind { get; set; }

    [Params(1, 4)]
    public int Consumers { get; set; }

    private string Queue => QueueNames[(int)Kind];

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _queues = await TemporaryQueueEngine.OpenAsync(DurabilityMode.None);
        _engine = _queues.Engine;
        _body = BenchMessages.Body(BodyBytes);
        await _engine.CreateQueueAsync(QueueNames[1], new Dictionary<string, string> { ["FifoQueue"] = "true" });
        await _engine.CreateQueueAsync(QueueNames[2], new Dictionary<string, string>
        {
            ["FifoQueue"] = "true",
            ["DeduplicationScope"] = "messageGroup",
            ["FifoThroughputLimit"] = "perMessageGroupId",
        });
    }

    [IterationSetup]
    public void FillBacklog() => FillBacklogAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public async Task CleanupAsync() => await _queues.DisposeAsync();

    [Benchmark(OperationsPerInvoke = Backlog)]
    public async Task ReceiveAndDelete()
    {
        _consumed = 0;
        Task[] consumers = new Task[Consumers];
        for (int i = 0; i < consumers.Length; i++)
        {
            consumers[i] = Task.Run(ConsumeAsync);
        }

        await Task.WhenAll(consumers);
    }

    private async Task ConsumeAsync()
    {
        var deletes = new List<(string Id, string ReceiptHandle)>(BatchSize);
        while (Volatile.Read(ref _consumed) < Backlog)
        {
            IReadOnlyList<ReceivedMessage> received = await _engine.ReceiveMessageAsync(Queue, _receive);
            if (received.Count == 0)
            {
                continue; // Every ready group is held by another consumer for the moment.
            }

            deletes.Clear();
            for (int i = 0; i < received.Count; i++)
            {
                deletes.Add((BenchMessages.EntryIds[i], received[i].ReceiptHandle));
            }

            await _engine.DeleteMessageBatchAsync(Queue, deletes);
            Interlocked.Add(ref _consumed, received.Count);
        }
    }

    // Round-robin over the groups, ten at a time, each with a deduplication id of its own.
    private async Task FillBacklogAsync()
    {
        var batch = new (string Id, SendMessageRequest Request)[BatchSize];
        for (int sent = 0; sent < Backlog; sent += BatchSize)
        {
            for (int i = 0; i < BatchSize; i++)
            {
                long n = _sent++;
                batch[i] = Kind == QueueKind.Standard
                    ? (BenchMessages.EntryIds[i], new SendMessageRequest(_body))
                    : (BenchMessages.EntryIds[i], new SendMessageRequest(
                        _body,
                        MessageGroupId: "g" + (n % Groups).ToString(CultureInfo.InvariantCulture),
                        MessageDeduplicationId: "d" + n.ToString(CultureInfo.InvariantCulture)));
            }

            await _engine.SendMessageBatchAsync(Queue, batch);
        }
    }
}
