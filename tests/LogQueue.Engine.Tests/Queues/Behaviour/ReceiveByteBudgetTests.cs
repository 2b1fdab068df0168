using System.Text;
using LogQueue.Engine.Queues.Messages;

namespace LogQueue.Engine.Tests.Queues.Behaviour;

/// <summary>
/// ReceiveMessageRequest.MaxTotalBytes: a receive takes messages while their stored sizes plus the per-message
/// overhead fit the budget, always at least one; the first that does not fit stays visible and comes next.
/// </summary>
public class ReceiveByteBudgetTests
{
    private const int BodySize = 100;
    private static readonly TimeSpan Visibility = TimeSpan.FromSeconds(30);

    // Bodies of exactly BodySize bytes and no attributes: each stores BodySize bytes.
    private static string Body(string name) => name.PadRight(BodySize, '.');

    private static async Task SendAsync(TestEngine t, string queue, int count)
    {
        for (int i = 0; i < count; i++)
        {
            await t.SendAsync(queue, Body($"m{i}"));
        }
    }

    private static Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(TestEngine t, string queue, long? maxBytes, int overhead = 0, int max = 10, TimeSpan? wait = null) =>
        t.Engine.ReceiveMessageAsync(queue, new ReceiveMessageRequest(max, Visibility, wait, maxBytes, overhead));

    private static string[] Names(IEnumerable<ReceivedMessage> messages) => [.. messages.Select(m => TestEngine.Body(m).TrimEnd('.'))];

    [Fact]
    public async Task A_budget_for_three_returns_three_and_the_fourth_comes_first_next_time()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await SendAsync(t, "q", 10);

        // 3 × (100 + 50) = 450 fits exactly; a 4th would make 600.
        Assert.Equal(["m0", "m1", "m2"], Names(await ReceiveAsync(t, "q", maxBytes: 450, overhead: 50)));
        Assert.Equal((7, 3, 0), t.Counts("q"));

        t.AdvanceSeconds(1);
        IReadOnlyList<ReceivedMessage> rest = await ReceiveAsync(t, "q", maxBytes: null);
        Assert.Equal(["m3", "m4", "m5", "m6", "m7", "m8", "m9"], Names(rest));

        // m3 was looked at by the first receive but not received: this is its first receive, at this receive's time.
        Assert.Equal(1, rest[0].ApproximateReceiveCount);
        Assert.Equal(t.NowMs, rest[0].ApproximateFirstReceiveTimestamp);
        Assert.Equal((0, 10, 0), t.Counts("q"));
    }

    [Fact]
    public async Task A_first_message_larger_than_the_budget_is_still_returned_alone()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await SendAsync(t, "q", 3);

        Assert.Equal(["m0"], Names(await ReceiveAsync(t, "q", maxBytes: 10)));
        Assert.Equal(["m1"], Names(await ReceiveAsync(t, "q", maxBytes: 0, overhead: 1024)));
        Assert.Equal((1, 2, 0), t.Counts("q"));
    }

    [Fact]
    public async Task A_message_left_over_is_not_in_flight_and_keeps_its_receive_count()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await SendAsync(t, "q", 2);
        Assert.Equal(2, (await ReceiveAsync(t, "q", maxBytes: null)).Count);
        t.Advance(Visibility);
        Assert.Equal((2, 0, 0), t.Counts("q"));

        ReceivedMessage first = Assert.Single(await ReceiveAsync(t, "q", maxBytes: 150));
        Assert.Equal(("m0", 2), (Names([first])[0], first.ApproximateReceiveCount));
        Assert.Equal((1, 1, 0), t.Counts("q"));

        ReceivedMessage second = Assert.Single(await ReceiveAsync(t, "q", maxBytes: null));
        Assert.Equal(("m1", 2), (Names([second])[0], second.ApproximateReceiveCount));
    }

    [Fact]
    public async Task A_waiting_receive_is_served_within_its_budget()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        Task<IReadOnlyList<ReceivedMessage>> waiting = ReceiveAsync(t, "q", maxBytes: 250, wait: TimeSpan.FromSeconds(20));
        Assert.False(waiting.IsCompleted);

        await t.Engine.SendMessageBatchAsync("q", [.. Enumerable.Range(0, 5).Select(i => ($"{i}", new SendMessageRequest(Encoding.UTF8.GetBytes(Body($"m{i}")))))]);

        Assert.Equal(["m0", "m1"], Names(await waiting.WaitAsync(TestEngine.Bound)));
        Assert.Equal((3, 2, 0), t.Counts("q"));
        Assert.Equal(["m2", "m3", "m4"], Names(await ReceiveAsync(t, "q", maxBytes: null)));
    }

    [Fact]
    public async Task Messages_moved_to_the_dead_letter_queue_cost_nothing()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await DeadLetterQueueTests.CreateWithDeadLetterQueueAsync(t, maxReceiveCount: 1);
        await SendAsync(t, "src", 3);
        Assert.Equal(["m0"], Names(await ReceiveAsync(t, "src", maxBytes: null, max: 1)));
        t.Advance(Visibility);

        // m0 is moved, not delivered: m1 and m2 (200 bytes) fit the 250, as they would not with m0 counted.
        Assert.Equal(["m1", "m2"], Names(await ReceiveAsync(t, "src", maxBytes: 250)));
        Assert.Equal((1, 0, 0), t.Counts("dlq"));
    }

    [Fact]
    public async Task Without_a_budget_a_receive_takes_up_to_its_count_whatever_the_sizes()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        for (int i = 0; i < 12; i++)
        {
            await t.SendAsync("q", new string((char)('a' + i), 2000));
        }

        Assert.Equal(10, (await ReceiveAsync(t, "q", maxBytes: null)).Count);
        Assert.Equal(2, (await ReceiveAsync(t, "q", maxBytes: null)).Count);
    }

    [Theory]
    [InlineData(-1L, 0)]
    [InlineData(100L, -1)]
    public async Task A_negative_budget_or_overhead_is_refused(long maxBytes, int overhead)
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        LogQueueException ex = await Assert.ThrowsAsync<LogQueueException>(() => ReceiveAsync(t, "q", maxBytes, overhead));
        Assert.Equal(ErrorCode.InvalidParameterValue, ex.Code);
    }
}
