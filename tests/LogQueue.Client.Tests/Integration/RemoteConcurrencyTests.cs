using System.Text;
using LogQueue.Client.Tests.Integration.Infrastructure;
using LogQueue.Protocol.Operations;

namespace LogQueue.Client.Tests.Integration;

/// <summary>Pipelining, natural batching and many concurrent callers on one client, against the real server process.</summary>
[Trait("Category", "Integration")]
public sealed class RemoteConcurrencyTests(RealServerFixture fixture) : IClassFixture<RealServerFixture>
{
    private static readonly ReceiveOptions NoWait = new() { WaitTime = TimeSpan.Zero, MaxNumberOfMessages = 10 };

    private LogQueueClient Client => fixture.Client;

    private static OutgoingMessage Text(string body) => new(Encoding.UTF8.GetBytes(body));

    [Fact]
    public async Task A_pending_long_poll_does_not_hold_up_other_calls_and_returns_the_message_sent_meanwhile()
    {
        await Client.CreateQueueAsync("conc-poll");
        await Client.CreateQueueAsync("conc-side");

        Task<IReadOnlyList<QueueMessage>> poll = Client.ReceiveMessagesAsync("conc-poll", new ReceiveOptions { WaitTime = TimeSpan.FromSeconds(5) });

        // Answers to later requests on the same connection arrive while the poll's answer is still owed.
        for (int i = 0; i < 5; i++)
        {
            await Client.PingAsync();
            await Client.SendMessageAsync("conc-side", Text($"side-{i}"));
            Assert.Single(await Client.ReceiveMessagesAsync("conc-side", NoWait with { MaxNumberOfMessages = 1 }));
            Assert.False(poll.IsCompleted);
        }

        Assert.Equal(1, Client.Options.ConnectionCount);
        await Client.SendMessageAsync("conc-poll", Text("awaited"));
        QueueMessage received = Assert.Single(await poll.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("awaited", received.BodyAsString());
    }

    [Fact]
    public async Task A_message_that_reaches_a_cancelled_long_poll_is_handed_back_at_once_not_after_its_visibility_timeout()
    {
        await Client.CreateQueueAsync("conc-cancelled-poll", new Dictionary<string, string> { ["VisibilityTimeout"] = "600" });
        using var giveUp = new CancellationTokenSource();
        Task<IReadOnlyList<QueueMessage>> poll = Client.ReceiveMessagesAsync("conc-cancelled-poll", new ReceiveOptions { WaitTime = TimeSpan.FromSeconds(3) }, giveUp.Token);
        await Client.PingAsync(); // the poll's frame is on the server before the cancel
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => poll);

        // The server's poll is still open: this message goes to it, and the client must hand it back.
        await Client.SendMessageAsync("conc-cancelled-poll", Text("orphan"));

        QueueMessage? again = null;
        for (int attempt = 0; attempt < 50 && again is null; attempt++)
        {
            again = (await Client.ReceiveMessagesAsync("conc-cancelled-poll", new ReceiveOptions { WaitTime = TimeSpan.FromMilliseconds(200), MaxNumberOfMessages = 1 })).SingleOrDefault();
        }

        Assert.NotNull(again);
        Assert.Equal(("orphan", 2), (again.BodyAsString(), again.ReceiveCount));
    }

    [Fact]
    public async Task Five_hundred_concurrent_sends_all_succeed_with_distinct_sequence_numbers_and_are_all_received()
    {
        const int count = 500;
        await Client.CreateQueueAsync("conc-batching");
        string[] bodies = [.. Enumerable.Range(0, count).Select(i => $"msg-{i}")];

        long servedBefore = (await Client.GetStatsAsync()).RequestsServed;
        SendMessageResponse[] sent = await Task.WhenAll(bodies.Select(b => Client.SendMessageAsync("conc-batching", Text(b))));
        long served = (await Client.GetStatsAsync()).RequestsServed - servedBefore;

        Assert.Equal(count, sent.Select(s => s.SequenceNumber).Distinct().Count());
        Assert.Equal(count, sent.Select(s => s.MessageId).Distinct().Count());
        Assert.True(served < count, $"{count} sends took {served} requests: none were coalesced");

        var received = new List<string>();
        while (received.Count < count)
        {
            IReadOnlyList<QueueMessage> batch = await Client.ReceiveMessagesAsync("conc-batching", new ReceiveOptions { MaxNumberOfMessages = 10, WaitTime = TimeSpan.FromSeconds(1) });
            Assert.NotEmpty(batch);
            received.AddRange(batch.Select(m => m.BodyAsString()));
            await Client.DeleteMessageBatchAsync("conc-batching", [.. batch.Select(m => m.ReceiptHandle)]);
        }

        Assert.Equal(bodies.Order(), received.Order());
        Assert.Empty(await Client.ReceiveMessagesAsync("conc-batching", NoWait));
    }

    [Fact]
    public async Task Two_hundred_fifty_concurrent_callers_each_send_receive_and_delete()
    {
        const int callers = 250;
        await Task.WhenAll(Enumerable.Range(0, 5).Select(q => Client.CreateQueueAsync($"conc-callers-{q}")));

        // Five shared queues: callers race for each other's messages, so each deletes whatever it received.
        string[] handled = await Task.WhenAll(Enumerable.Range(0, callers).Select(async i =>
        {
            string queue = $"conc-callers-{i % 5}";
            await Client.SendMessageAsync(queue, Text($"caller-{i}"));
            while (true)
            {
                IReadOnlyList<QueueMessage> messages = await Client.ReceiveMessagesAsync(queue, new ReceiveOptions { MaxNumberOfMessages = 1, WaitTime = TimeSpan.FromSeconds(2) });
                if (messages.Count == 1)
                {
                    await messages[0].DeleteAsync();
                    return messages[0].BodyAsString();
                }
            }
        })).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(Enumerable.Range(0, callers).Select(i => $"caller-{i}").Order(), handled.Order());
    }
}
