using LogQueue.Engine.Queues.Messages;
using LogQueue.Engine.Queues.Receipts;
using LogQueue.TestSupport;

namespace LogQueue.Engine.Tests.Queues.Behaviour;

public class ReceiptHandleTests
{
    // The same handle with one character changed (to another valid base64url character).
    private static string Tampered(string handle, int at)
    {
        char[] chars = handle.ToCharArray();
        chars[at] = chars[at] == 'A' ? 'B' : 'A';
        return new string(chars);
    }

    private static async Task<ErrorCode> DeleteErrorAsync(TestEngine t, string queue, string? handle) =>
        (await Assert.ThrowsAsync<LogQueueException>(() => t.Engine.DeleteMessageAsync(queue, handle!))).Code;

    [Fact]
    public async Task A_handle_is_opaque_and_differs_from_the_message_id()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", "m");
        ReceivedMessage message = await t.ReceiveOneAsync("q");

        Assert.Equal(ReceiptHandle.EncodedLength, message.ReceiptHandle.Length);
        Assert.DoesNotContain(message.MessageId.ToString(), message.ReceiptHandle, StringComparison.Ordinal);
        Assert.All(message.ReceiptHandle, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'));
    }

    [Fact]
    public async Task A_stale_handle_does_not_delete_and_says_so()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", "m");
        ReceivedMessage first = await t.ReceiveOneAsync("q", visibility: TimeSpan.FromSeconds(1));
        t.AdvanceSeconds(1);
        ReceivedMessage second = await t.ReceiveOneAsync("q", visibility: TimeSpan.FromSeconds(1));

        Assert.Equal(ErrorCode.MessageNotInflight, await DeleteErrorAsync(t, "q", first.ReceiptHandle));
        t.AdvanceSeconds(1);
        ReceivedMessage third = await t.ReceiveOneAsync("q");
        Assert.Equal(3, third.ApproximateReceiveCount);

        Assert.Equal(ErrorCode.MessageNotInflight, await DeleteErrorAsync(t, "q", second.ReceiptHandle));
        await t.Engine.DeleteMessageAsync("q", third.ReceiptHandle);
        t.AdvanceSeconds(60);
        Assert.Empty(await t.ReceiveAsync("q"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(20)]
    [InlineData(37)]
    public async Task A_handle_with_any_character_changed_is_ReceiptHandleIsInvalid_and_deletes_nothing(int at)
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", "m");
        ReceivedMessage message = await t.ReceiveOneAsync("q", visibility: TimeSpan.FromSeconds(1));

        Assert.Equal(ErrorCode.ReceiptHandleIsInvalid, await DeleteErrorAsync(t, "q", Tampered(message.ReceiptHandle, at)));
        t.AdvanceSeconds(1);
        Assert.Single(await t.ReceiveAsync("q"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not a handle")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%")]
    public async Task Garbage_is_ReceiptHandleIsInvalid(string? handle)
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        Assert.Equal(ErrorCode.ReceiptHandleIsInvalid, await DeleteErrorAsync(t, "q", handle));
    }

    [Fact]
    public async Task A_handle_from_another_queue_is_ReceiptHandleIsInvalid_and_deletes_in_neither()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("a");
        await t.CreateQueueAsync("b");
        await t.SendAsync("a", "in-a");
        await t.SendAsync("b", "in-b");
        ReceivedMessage fromA = await t.ReceiveOneAsync("a", visibility: TimeSpan.FromSeconds(1));
        await t.ReceiveOneAsync("b", visibility: TimeSpan.FromSeconds(1));

        // Both messages have sequence 0 and receive count 1: only the queue tells the handles apart.
        Assert.Equal(ErrorCode.ReceiptHandleIsInvalid, await DeleteErrorAsync(t, "b", fromA.ReceiptHandle));
        Assert.Equal(ErrorCode.ReceiptHandleIsInvalid, Assert.Throws<LogQueueException>(() => t.Engine.ChangeMessageVisibility("b", fromA.ReceiptHandle, TimeSpan.Zero)).Code);
        t.AdvanceSeconds(1);
        Assert.Equal(["in-a"], await t.ReceiveBodiesAsync("a"));
        Assert.Equal(["in-b"], await t.ReceiveBodiesAsync("b"));
    }

    [Fact]
    public async Task A_handle_signed_with_another_data_directory_secret_is_refused()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", "m");
        ReceivedMessage message = await t.ReceiveOneAsync("q", visibility: TimeSpan.FromSeconds(1));

        // Right queue incarnation, sequence and receive count; wrong key.
        using var elsewhere = new TempDirectory("secret");
        long incarnation = t.Engine.FindQueue("q")!.Incarnation;
        string forged = new ReceiptHandle(incarnation, message.SequenceNumber, message.ApproximateReceiveCount).Encode(EngineSecret.LoadOrCreate(elsewhere.Path));
        Assert.NotEqual(message.ReceiptHandle, forged);

        Assert.Equal(ErrorCode.ReceiptHandleIsInvalid, await DeleteErrorAsync(t, "q", forged));
        t.AdvanceSeconds(1);
        Assert.Single(await t.ReceiveAsync("q"));
    }

    [Fact]
    public async Task Deleting_twice_with_the_same_handle_succeeds_both_times()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", "m");
        ReceivedMessage message = await t.ReceiveOneAsync("q");

        await t.Engine.DeleteMessageAsync("q", message.ReceiptHandle);
        await t.Engine.DeleteMessageAsync("q", message.ReceiptHandle);
        Assert.Equal((0, 0, 0), t.Counts("q"));
    }

    [Fact]
    public async Task A_handle_stays_valid_across_a_restart()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", "m");
        ReceivedMessage message = await t.ReceiveOneAsync("q");

        await t.ReopenAsync();
        await t.Engine.DeleteMessageAsync("q", message.ReceiptHandle);
        Assert.Empty(await t.ReceiveAsync("q"));
    }

    [Fact]
    public async Task A_delete_batch_reports_each_entry_and_deletes_only_with_good_handles()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.CreateQueueAsync("other");
        for (int i = 0; i < 3; i++)
        {
            await t.SendAsync("q", "m" + i);
        }

        await t.SendAsync("other", "x");
        IReadOnlyList<ReceivedMessage> got = await t.ReceiveAsync("q", 3, TimeSpan.FromSeconds(5));
        ReceivedMessage foreign = await t.ReceiveOneAsync("other", visibility: TimeSpan.FromSeconds(5));
        ReceivedMessage staleOne = got[2];
        t.Engine.ChangeMessageVisibility("q", staleOne.ReceiptHandle, TimeSpan.Zero);
        ReceivedMessage current = await t.ReceiveOneAsync("q", visibility: TimeSpan.FromSeconds(5));
        Assert.Equal(staleOne.MessageId, current.MessageId);

        IReadOnlyList<BatchResultEntry<bool>> results = await t.Engine.DeleteMessageBatchAsync("q",
        [
            ("good", got[0].ReceiptHandle),
            ("forged", Tampered(got[1].ReceiptHandle, 20)),
            ("stale", staleOne.ReceiptHandle),
            ("foreign", foreign.ReceiptHandle),
            ("garbage", "???"),
            ("badchars", new string('%', ReceiptHandle.EncodedLength)),
        ]);

        Assert.Equal(["good", "forged", "stale", "foreign", "garbage", "badchars"], results.Select(r => r.Id));
        Assert.True(results[0].Succeeded);
        Assert.Equal(
            [ErrorCode.ReceiptHandleIsInvalid, ErrorCode.MessageNotInflight, ErrorCode.ReceiptHandleIsInvalid, ErrorCode.ReceiptHandleIsInvalid, ErrorCode.ReceiptHandleIsInvalid],
            results.Skip(1).Select(r => r.Error));
        Assert.All(results.Skip(1), r => Assert.False(string.IsNullOrEmpty(r.ErrorMessage)));

        t.AdvanceSeconds(5);
        Assert.Equal(["m1", "m2"], await t.ReceiveBodiesAsync("q"));
        Assert.Equal(["x"], await t.ReceiveBodiesAsync("other"));
    }
}
