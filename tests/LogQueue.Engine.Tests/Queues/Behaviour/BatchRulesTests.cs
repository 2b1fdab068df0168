using System.Globalization;
using LogQueue.Engine.Queues.Messages;

namespace LogQueue.Engine.Tests.Queues.Behaviour;

public class BatchRulesTests
{
    private static Task<TestEngine> OpenAsync() => TestEngine.OpenAsync(configure: o => o.MaxBatchSize = 10);

    private static SendMessageRequest Message(string body) => new(System.Text.Encoding.UTF8.GetBytes(body));

    private static string[] Ids(int count) => [.. Enumerable.Range(0, count).Select(i => "id" + i.ToString(CultureInfo.InvariantCulture))];

    // Runs the same entry ids through all three batch calls and returns the three error codes.
    private static async Task<ErrorCode[]> CodesForAllBatchCallsAsync(TestEngine t, string[] ids)
    {
        var send = await Assert.ThrowsAsync<LogQueueException>(() => t.Engine.SendMessageBatchAsync("q", [.. ids.Select(id => (id, Message("m")))]));
        var delete = await Assert.ThrowsAsync<LogQueueException>(() => t.Engine.DeleteMessageBatchAsync("q", [.. ids.Select(id => (id, "handle"))]));
        var change = Assert.Throws<LogQueueException>(() => t.Engine.ChangeMessageVisibilityBatch("q", [.. ids.Select(id => (id, "handle", TimeSpan.Zero))]));
        return [send.Code, delete.Code, change.Code];
    }

    [Fact]
    public async Task An_empty_batch_is_EmptyBatchRequest()
    {
        await using TestEngine t = await OpenAsync();
        await t.CreateQueueAsync("q");
        Assert.All(await CodesForAllBatchCallsAsync(t, []), c => Assert.Equal(ErrorCode.EmptyBatchRequest, c));
    }

    [Fact]
    public async Task A_batch_over_the_limit_is_TooManyEntriesInBatchRequest_and_sends_nothing()
    {
        await using TestEngine t = await OpenAsync();
        await t.CreateQueueAsync("q");
        Assert.All(await CodesForAllBatchCallsAsync(t, Ids(11)), c => Assert.Equal(ErrorCode.TooManyEntriesInBatchRequest, c));
        Assert.Equal((0, 0, 0), t.Counts("q"));

        IReadOnlyList<BatchResultEntry<SendMessageResult>> ten = await t.Engine.SendMessageBatchAsync("q", [.. Ids(10).Select(id => (id, Message(id)))]);
        Assert.All(ten, r => Assert.True(r.Succeeded));
    }

    [Fact]
    public async Task Two_entries_with_one_id_are_BatchEntryIdsNotDistinct_and_send_nothing()
    {
        await using TestEngine t = await OpenAsync();
        await t.CreateQueueAsync("q");
        Assert.All(await CodesForAllBatchCallsAsync(t, ["a", "b", "a"]), c => Assert.Equal(ErrorCode.BatchEntryIdsNotDistinct, c));
        Assert.Equal((0, 0, 0), t.Counts("q"));

        // Ids are case-sensitive.
        Assert.All(await t.Engine.SendMessageBatchAsync("q", [("a", Message("1")), ("A", Message("2"))]), r => Assert.True(r.Succeeded));
    }

    [Theory]
    [InlineData("0", "1", "1")]
    [InlineData("0", "1", "01")]
    [InlineData("0", "1", "0")]
    public async Task Ids_that_look_like_positions_are_still_checked_for_duplicates_and_characters(string first, string second, string third)
    {
        // The engine takes a shortcut for ids that are exactly their positions ("0", "1", ...); anything else,
        // however close, goes through the full checks.
        await using TestEngine t = await OpenAsync();
        await t.CreateQueueAsync("q");
        ErrorCode expected = third == "01" ? ErrorCode.None : ErrorCode.BatchEntryIdsNotDistinct;
        if (expected == ErrorCode.None)
        {
            Assert.All(await t.Engine.SendMessageBatchAsync("q", [(first, Message("a")), (second, Message("b")), (third, Message("c"))]), r => Assert.True(r.Succeeded));
            return;
        }

        Assert.All(await CodesForAllBatchCallsAsync(t, [first, second, third]), c => Assert.Equal(expected, c));
        Assert.Equal((0, 0, 0), t.Counts("q"));
    }

    [Fact]
    public async Task Positional_ids_are_accepted_and_answered_in_order()
    {
        await using TestEngine t = await OpenAsync();
        await t.CreateQueueAsync("q");
        string[] ids = [.. Enumerable.Range(0, 10).Select(i => i.ToString(CultureInfo.InvariantCulture))];
        IReadOnlyList<BatchResultEntry<SendMessageResult>> results = await t.Engine.SendMessageBatchAsync("q", [.. ids.Select(id => (id, Message(id)))]);
        Assert.Equal(ids, results.Select(r => r.Id));
        Assert.All(results, r => Assert.True(r.Succeeded));
        Assert.Equal(ErrorCode.InvalidBatchEntryId, (await Assert.ThrowsAsync<LogQueueException>(() => t.Engine.SendMessageBatchAsync("q", [("0", Message("a")), ("+1", Message("b"))]))).Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("dot.ted")]
    [InlineData("caf\u00e9")]
    [InlineData("81")]
    public async Task A_bad_entry_id_is_InvalidBatchEntryId(string id)
    {
        await using TestEngine t = await OpenAsync();
        await t.CreateQueueAsync("q");
        string entryId = id == "81" ? new string('x', 81) : id;
        Assert.All(await CodesForAllBatchCallsAsync(t, ["ok", entryId]), c => Assert.Equal(ErrorCode.InvalidBatchEntryId, c));
        Assert.Equal((0, 0, 0), t.Counts("q"));
    }

    [Fact]
    public async Task Ids_of_80_letters_digits_hyphens_and_underscores_are_accepted()
    {
        await using TestEngine t = await OpenAsync();
        await t.CreateQueueAsync("q");
        IReadOnlyList<BatchResultEntry<SendMessageResult>> results = await t.Engine.SendMessageBatchAsync("q", [(new string('x', 80), Message("1")), ("A-z_09", Message("2"))]);
        Assert.All(results, r => Assert.True(r.Succeeded));
    }

    [Fact]
    public async Task A_send_batch_reports_each_entry_and_stores_only_the_valid_ones()
    {
        await using TestEngine t = await OpenAsync();
        await t.CreateQueueAsync("q", ("MaximumMessageSize", "1024"));

        IReadOnlyList<BatchResultEntry<SendMessageResult>> results = await t.Engine.SendMessageBatchAsync("q",
        [
            ("first", Message("a")),
            ("empty", new SendMessageRequest(ReadOnlyMemory<byte>.Empty)),
            ("big", new SendMessageRequest(new byte[1025])),
            ("late", new SendMessageRequest(Message("x").Body, Delay: TimeSpan.FromMinutes(16))),
            ("last", Message("b")),
        ]);

        Assert.Equal(["first", "empty", "big", "late", "last"], results.Select(r => r.Id));
        Assert.True(results[0].Succeeded);
        Assert.True(results[4].Succeeded);
        Assert.Equal(ErrorCode.InvalidParameterValue, results[1].Error);
        Assert.Equal(ErrorCode.MessageTooLong, results[2].Error);
        Assert.Equal(ErrorCode.InvalidParameterValue, results[3].Error);

        // The stored ones are distinct messages, in order.
        Assert.NotEqual(results[0].Result!.MessageId, results[4].Result!.MessageId);
        Assert.True(results[0].Result!.SequenceNumber < results[4].Result!.SequenceNumber);
        Assert.Equal(["a", "b"], await t.ReceiveBodiesAsync("q"));
    }

    [Fact]
    public async Task Batch_calls_on_a_queue_that_does_not_exist_are_QueueDoesNotExist()
    {
        await using TestEngine t = await OpenAsync();
        Assert.Equal(ErrorCode.QueueDoesNotExist, (await Assert.ThrowsAsync<LogQueueException>(() => t.Engine.SendMessageBatchAsync("missing", [("a", Message("m"))]))).Code);
        Assert.Equal(ErrorCode.QueueDoesNotExist, (await Assert.ThrowsAsync<LogQueueException>(() => t.Engine.DeleteMessageBatchAsync("missing", [("a", "h")]))).Code);
        Assert.Equal(ErrorCode.QueueDoesNotExist, Assert.Throws<LogQueueException>(() => t.Engine.ChangeMessageVisibilityBatch("missing", [("a", "h", TimeSpan.Zero)])).Code);
    }
}
