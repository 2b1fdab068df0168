using LogQueue.Client.Tests.Fakes;
using LogQueue.Client.Tests.Remote;
using LogQueue.Engine.Queues;
using LogQueue.Protocol;
using LogQueue.Protocol.Operations;
using LogQueue.TestSupport;
using Microsoft.Extensions.Options;

namespace LogQueue.Client.Tests.Consumers;

public sealed class ProcessAsyncTests : IDisposable
{
    private readonly TempDirectory _directory = new("consumer");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_slow_handler_has_its_message_extended_every_half_timeout_then_deleted()
    {
        // The fake server shows exactly which calls the consumer makes; the consumer's clock is the test's.
        await using FakeServer server = FakeServer.Start();
        var clock = new ManualTimeProvider();
        int receives = 0;
        server.Responder = async request =>
        {
            if (request.Opcode != Opcode.ReceiveMessage)
            {
                return false; // the test answers visibility changes and deletes itself
            }

            ReceivedMessage[] messages = Interlocked.Increment(ref receives) == 1
                ? [new ReceivedMessage(new MessageId(1, 1), 1, "handle-1", 0, 1, 0, null, null, new Dictionary<string, MessageAttribute>(), "slow"u8.ToArray())]
                : [];
            await request.RespondAsync(new ReceiveMessageResponse(messages));
            return true;
        };
        await using LogQueueClient client = await LogQueueClient.ConnectAsync(new LogQueueClientOptions { Endpoint = server.Endpoint });
        var handlerStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finishHandler = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        var options = new ConsumeOptions { VisibilityTimeout = TimeSpan.FromSeconds(30), WaitTime = TimeSpan.Zero, TimeProvider = clock };

        Task processing = client.GetQueue("q").ProcessAsync(
            async (message, ct) =>
            {
                handlerStarted.SetResult();
                await finishHandler.Task;
            },
            options,
            stop.Token);
        await handlerStarted.Task.WaitAsync(Poll.DefaultTimeout);

        for (int extension = 0; extension < 2; extension++)
        {
            clock.Advance(TimeSpan.FromSeconds(15));
            FakeRequest change = await server.NextRequestAsync();
            Assert.Equal(Opcode.ChangeMessageVisibility, change.Opcode);
            ChangeMessageVisibilityRequest request = change.Decode<ChangeMessageVisibilityRequest>();
            Assert.Equal(("handle-1", TimeSpan.FromSeconds(30)), (request.ReceiptHandle, request.VisibilityTimeout));
            await change.RespondAsync(EmptyResponse.Instance);
        }

        finishHandler.SetResult();
        FakeRequest delete = await server.NextRequestAsync();
        Assert.Equal(Opcode.DeleteMessage, delete.Opcode);
        Assert.Equal("handle-1", delete.Decode<DeleteMessageRequest>().ReceiptHandle);
        await delete.RespondAsync(EmptyResponse.Instance);

        await stop.CancelAsync();
        await processing.WaitAsync(Poll.DefaultTimeout);
    }

    [Fact]
    public async Task Handled_messages_are_deleted_and_failed_ones_released_for_another_try()
    {
        await using EmbeddedLogQueueClient client = await EmbeddedLogQueueClient.OpenAsync(Options.Create(new QueueEngineOptions { DataDirectory = _directory.Path }));
        QueueClient queue = client.GetQueue("q");
        await queue.CreateAsync();
        for (int i = 0; i < 20; i++)
        {
            await queue.SendAsync(i % 5 == 0 ? "fail-once-" + i : "ok-" + i);
        }

        var handled = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        int running = 0;
        int maxRunning = 0;
        using var stop = new CancellationTokenSource();
        Task processing = queue.ProcessAsync(
            async (message, ct) =>
            {
                int now = Interlocked.Increment(ref running);
                InterlockedMax(ref maxRunning, now);
                await Task.Yield();
                int attempt = handled.AddOrUpdate(message.BodyAsString(), 1, (_, n) => n + 1);
                Interlocked.Decrement(ref running);
                if (message.BodyAsString().StartsWith("fail-once", StringComparison.Ordinal) && attempt == 1)
                {
                    throw new InvalidOperationException("first attempt fails");
                }
            },
            new ConsumeOptions { MaxConcurrency = 4, WaitTime = TimeSpan.FromMilliseconds(100) },
            stop.Token);

        Assert.True(await Poll.UntilAsync(() => handled.Count == 20 && handled.Where(h => h.Key.StartsWith("fail-once", StringComparison.Ordinal)).All(h => h.Value == 2)));
        Assert.True(await Poll.UntilAsync(() => QueueIsEmpty(queue)));
        await stop.CancelAsync();
        await processing.WaitAsync(Poll.DefaultTimeout);

        Assert.InRange(maxRunning, 1, 4);
        Assert.All(handled.Where(h => h.Key.StartsWith("ok", StringComparison.Ordinal)), h => Assert.Equal(1, h.Value));
    }

    [Fact]
    public async Task ConsumeAsync_yields_messages_until_cancelled()
    {
        await using EmbeddedLogQueueClient client = await EmbeddedLogQueueClient.OpenAsync(_directory.Path);
        QueueClient queue = client.GetQueue("q");
        await queue.CreateAsync();
        await queue.SendAsync("one");
        await queue.SendAsync("two");
        using var stop = new CancellationTokenSource(Poll.DefaultTimeout);

        var bodies = new List<string>();
        await foreach (QueueMessage message in queue.ConsumeAsync(new ConsumeOptions { WaitTime = TimeSpan.FromMilliseconds(100) }, stop.Token))
        {
            bodies.Add(message.BodyAsString());
            await message.DeleteAsync();
            if (bodies.Count == 2)
            {
                await stop.CancelAsync();
            }
        }

        Assert.Equal(["one", "two"], bodies.Order());
    }

    [Fact]
    public async Task ConsumeAsync_deletes_a_message_when_the_loop_asks_for_the_next_and_hands_back_the_rest_on_break()
    {
        await using EmbeddedLogQueueClient client = await EmbeddedLogQueueClient.OpenAsync(_directory.Path);
        QueueClient queue = client.GetQueue("q");
        await queue.CreateAsync();
        foreach (string body in new[] { "one", "two", "three" })
        {
            await queue.SendAsync(body);
        }

        var seen = new List<string>();
        await foreach (QueueMessage message in queue.ConsumeAsync(new ConsumeOptions { WaitTime = TimeSpan.Zero }))
        {
            seen.Add(message.BodyAsString());
            if (seen.Count == 2)
            {
                break; // "two" is not confirmed: leaving the loop hands it back with "three"
            }
        }

        IReadOnlyDictionary<string, string> attributes = await queue.GetAttributesAsync();
        Assert.Equal(("2", "0"), (attributes["ApproximateNumberOfMessages"], attributes["ApproximateNumberOfMessagesNotVisible"]));
        IReadOnlyList<QueueMessage> again = await queue.ReceiveAsync(new ReceiveOptions { MaxNumberOfMessages = 10 });
        Assert.Equal(["three", "two"], again.Select(m => m.BodyAsString()).Order());
    }

    [Fact]
    public async Task ConsumeAsync_releases_the_message_whose_loop_body_threw()
    {
        await using EmbeddedLogQueueClient client = await EmbeddedLogQueueClient.OpenAsync(_directory.Path);
        QueueClient queue = client.GetQueue("q");
        await queue.CreateAsync();
        await queue.SendAsync("poison");

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (QueueMessage message in queue.ConsumeAsync(new ConsumeOptions { WaitTime = TimeSpan.Zero, VisibilityTimeout = TimeSpan.FromMinutes(5) }))
            {
                throw new InvalidOperationException("handler failed");
            }
        });

        QueueMessage retried = Assert.Single(await queue.ReceiveAsync());
        Assert.Equal(("poison", 2), (retried.BodyAsString(), retried.ReceiveCount));
    }

    [Fact]
    public async Task ConsumeAsync_extends_the_visibility_of_the_message_in_hand_and_of_those_waiting()
    {
        await using FakeServer server = FakeServer.Start();
        var clock = new ManualTimeProvider();
        int receives = 0;
        server.Responder = async request =>
        {
            if (request.Opcode != Opcode.ReceiveMessage)
            {
                return false;
            }

            ReceivedMessage[] messages = Interlocked.Increment(ref receives) == 1
                ? [Message("h1"), Message("h2")]
                : [];
            await request.RespondAsync(new ReceiveMessageResponse(messages));
            return true;
        };
        await using LogQueueClient client = await LogQueueClient.ConnectAsync(new LogQueueClientOptions { Endpoint = server.Endpoint });
        var options = new ConsumeOptions { VisibilityTimeout = TimeSpan.FromSeconds(30), WaitTime = TimeSpan.Zero, TimeProvider = clock };
        IAsyncEnumerator<QueueMessage> consumer = client.GetQueue("q").ConsumeAsync(options).GetAsyncEnumerator();

        Assert.True(await consumer.MoveNextAsync());
        Assert.Equal("h1", consumer.Current.ReceiptHandle);
        clock.Advance(TimeSpan.FromSeconds(15));
        var extended = new HashSet<string>();
        for (int i = 0; i < 2; i++)
        {
            FakeRequest change = await server.NextRequestAsync();
            Assert.Equal(Opcode.ChangeMessageVisibility, change.Opcode);
            extended.Add(change.Decode<ChangeMessageVisibilityRequest>().ReceiptHandle);
            await change.RespondAsync(EmptyResponse.Instance);
        }

        Assert.Equal(["h1", "h2"], extended.Order());

        ValueTask<bool> next = consumer.MoveNextAsync();
        FakeRequest delete = await server.NextRequestAsync();
        Assert.Equal(("h1", Opcode.DeleteMessage), (delete.Decode<DeleteMessageRequest>().ReceiptHandle, delete.Opcode));
        await delete.RespondAsync(EmptyResponse.Instance);
        Assert.True(await next);
        Assert.Equal("h2", consumer.Current.ReceiptHandle);

        // Leaving the loop now hands "h2" back at once.
        ValueTask disposing = consumer.DisposeAsync();
        FakeRequest release = await server.NextRequestAsync();
        ChangeMessageVisibilityRequest released = release.Decode<ChangeMessageVisibilityRequest>();
        Assert.Equal(("h2", TimeSpan.Zero), (released.ReceiptHandle, released.VisibilityTimeout));
        await release.RespondAsync(EmptyResponse.Instance);
        await disposing.AsTask().WaitAsync(Poll.DefaultTimeout);

        static ReceivedMessage Message(string handle) =>
            new(new MessageId(1, 1), 1, handle, 0, 1, 0, null, null, new Dictionary<string, MessageAttribute>(), "m"u8.ToArray());
    }

    private static bool QueueIsEmpty(QueueClient queue)
    {
        IReadOnlyDictionary<string, string> attributes = queue.GetAttributesAsync().GetAwaiter().GetResult();
        return attributes["ApproximateNumberOfMessages"] == "0" && attributes["ApproximateNumberOfMessagesNotVisible"] == "0";
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
