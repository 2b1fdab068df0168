using LogQueue.Engine.Queues;
using LogQueue.Engine.Queues.Messages;
using Microsoft.Extensions.Options;

namespace LogQueue.Engine.Tests.Queues.Behaviour;

public class QueueCatalogTests
{
    [Fact]
    public async Task Creating_an_existing_queue_with_the_same_or_fewer_attributes_returns_it_unchanged()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        Assert.Equal("q", await t.CreateQueueAsync("q", ("VisibilityTimeout", "60"), ("DelaySeconds", "5")));
        await t.SendAsync("q", "kept", delay: TimeSpan.Zero);

        Assert.Equal("q", await t.CreateQueueAsync("q", ("VisibilityTimeout", "60"), ("DelaySeconds", "5")));
        Assert.Equal("q", await t.CreateQueueAsync("q", ("DelaySeconds", "5")));
        Assert.Equal("q", await t.CreateQueueAsync("q"));

        Assert.Equal(["q"], t.Engine.ListQueues());
        Assert.Equal("60", t.Engine.GetQueueAttributes("q")["VisibilityTimeout"]);
        Assert.Equal(["kept"], await t.ReceiveBodiesAsync("q"));
    }

    [Fact]
    public async Task Creating_an_existing_queue_with_a_different_value_is_QueueNameExists()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q", ("VisibilityTimeout", "60"));

        var ex = await Assert.ThrowsAsync<LogQueueException>(() => t.CreateQueueAsync("q", ("VisibilityTimeout", "61")));
        Assert.Equal(ErrorCode.QueueNameExists, ex.Code);
        var explicitDefault = await Assert.ThrowsAsync<LogQueueException>(() => t.CreateQueueAsync("q", ("VisibilityTimeout", "30")));
        Assert.Equal(ErrorCode.QueueNameExists, explicitDefault.Code);
        Assert.Equal("60", t.Engine.GetQueueAttributes("q")["VisibilityTimeout"]);
    }

    [Fact]
    public async Task Queues_are_listed_in_order_optionally_by_a_case_sensitive_prefix()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        Assert.Empty(t.Engine.ListQueues());
        foreach (string name in new[] { "orders-b", "Orders", "orders-a", "payments" })
        {
            await t.CreateQueueAsync(name);
        }

        Assert.Equal(["Orders", "orders-a", "orders-b", "payments"], t.Engine.ListQueues());
        Assert.Equal(["orders-a", "orders-b"], t.Engine.ListQueues("orders"));
        Assert.Equal(["Orders"], t.Engine.ListQueues("O"));
        Assert.Equal(["payments"], t.Engine.ListQueues("payments"));
        Assert.Empty(t.Engine.ListQueues("x"));
    }

    [Fact]
    public async Task A_deleted_queue_does_not_exist_for_any_call()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", "m");
        ReceivedMessage message = await t.ReceiveOneAsync("q");
        await t.Engine.DeleteQueueAsync("q");

        Assert.Empty(t.Engine.ListQueues());
        var calls = new List<Func<Task>>
        {
            () => t.SendAsync("q", "m"),
            () => t.ReceiveAsync("q"),
            () => t.Engine.DeleteMessageAsync("q", message.ReceiptHandle),
            () => Task.Run(() => t.Engine.ChangeMessageVisibility("q", message.ReceiptHandle, TimeSpan.Zero)),
            () => Task.Run(() => t.Engine.GetQueueAttributes("q")),
            () => t.Engine.SetQueueAttributesAsync("q", new Dictionary<string, string> { ["DelaySeconds"] = "1" }),
            () => t.Engine.PurgeQueueAsync("q"),
            () => t.Engine.DeleteQueueAsync("q"),
        };
        foreach (Func<Task> call in calls)
        {
            Assert.Equal(ErrorCode.QueueDoesNotExist, (await Assert.ThrowsAsync<LogQueueException>(call)).Code);
        }
    }

    [Fact]
    public async Task Deleting_a_queue_ends_its_waiting_receives_with_empty_results()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        Task<IReadOnlyList<ReceivedMessage>>[] waiting = [.. Enumerable.Range(0, 3).Select(_ => t.ReceiveAsync("q", wait: TimeSpan.FromSeconds(20)))];
        Assert.All(waiting, w => Assert.False(w.IsCompleted));

        await t.Engine.DeleteQueueAsync("q");
        IReadOnlyList<ReceivedMessage>[] results = await Task.WhenAll(waiting).WaitAsync(TestEngine.Bound);
        Assert.All(results, Assert.Empty);
    }

    [Fact]
    public async Task A_queue_made_again_under_the_same_name_is_a_new_queue_that_refuses_old_handles()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q", ("VisibilityTimeout", "60"));
        SendMessageResult oldSend = await t.SendAsync("q", "old");
        ReceivedMessage old = await t.ReceiveOneAsync("q");
        await t.Engine.DeleteQueueAsync("q");

        await t.CreateQueueAsync("q");
        Assert.Equal("30", t.Engine.GetQueueAttributes("q")["VisibilityTimeout"]);
        SendMessageResult newSend = await t.SendAsync("q", "new");
        Assert.Equal(oldSend.SequenceNumber, newSend.SequenceNumber);
        Assert.NotEqual(oldSend.MessageId, newSend.MessageId);

        ReceivedMessage fresh = await t.ReceiveOneAsync("q", visibility: TimeSpan.FromSeconds(1));
        Assert.Equal("new", TestEngine.Body(fresh));
        Assert.Equal(1, fresh.ApproximateReceiveCount);
        Assert.Equal(ErrorCode.ReceiptHandleIsInvalid, (await Assert.ThrowsAsync<LogQueueException>(() => t.Engine.DeleteMessageAsync("q", old.ReceiptHandle))).Code);
        t.AdvanceSeconds(1);
        Assert.Equal(["new"], await t.ReceiveBodiesAsync("q"));
    }

    [Fact]
    public async Task Queues_their_attributes_and_deletions_survive_a_restart()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("kept", ("VisibilityTimeout", "45"));
        await t.CreateQueueAsync("gone");
        await t.Engine.DeleteQueueAsync("gone");
        await t.Engine.SetQueueAttributesAsync("kept", new Dictionary<string, string> { ["DelaySeconds"] = "7" });
        IReadOnlyDictionary<string, string> before = t.Engine.GetQueueAttributes("kept");

        await t.ReopenAsync();
        Assert.Equal(["kept"], t.Engine.ListQueues());
        IReadOnlyDictionary<string, string> after = t.Engine.GetQueueAttributes("kept");
        Assert.Equal("45", after["VisibilityTimeout"]);
        Assert.Equal("7", after["DelaySeconds"]);
        Assert.Equal(before["CreatedTimestamp"], after["CreatedTimestamp"]);
        Assert.Equal(before["LastModifiedTimestamp"], after["LastModifiedTimestamp"]);
    }

    [Fact]
    public async Task Attributes_carry_created_and_last_modified_times_and_the_queue_arn()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        long created = t.Clock.GetUtcNow().ToUnixTimeSeconds();
        await t.CreateQueueAsync("q");
        IReadOnlyDictionary<string, string> a = t.Engine.GetQueueAttributes("q");
        Assert.Equal(created.ToString(System.Globalization.CultureInfo.InvariantCulture), a["CreatedTimestamp"]);
        Assert.Equal(a["CreatedTimestamp"], a["LastModifiedTimestamp"]);
        Assert.Equal("arn:aws:sqs:logqueue:000000000000:q", a["QueueArn"]);

        t.AdvanceSeconds(100);
        await t.Engine.SetQueueAttributesAsync("q", new Dictionary<string, string> { ["VisibilityTimeout"] = "5" });
        Assert.Equal(created, t.Attribute("q", "CreatedTimestamp"));
        Assert.Equal(created + 100, t.Attribute("q", "LastModifiedTimestamp"));
    }

    [Fact]
    public async Task Get_attributes_returns_the_names_asked_for_or_all()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");

        IReadOnlyDictionary<string, string> some = t.Engine.GetQueueAttributes("q", ["DelaySeconds", "ApproximateNumberOfMessages"]);
        Assert.Equal(["ApproximateNumberOfMessages", "DelaySeconds"], some.Keys.Order(StringComparer.Ordinal));
        IReadOnlyDictionary<string, string> all = t.Engine.GetQueueAttributes("q", ["All"]);
        Assert.Equal(t.Engine.GetQueueAttributes("q").Keys.Order(StringComparer.Ordinal), all.Keys.Order(StringComparer.Ordinal));
        foreach (string name in new[]
        {
            "VisibilityTimeout", "MessageRetentionPeriod", "DelaySeconds", "ReceiveMessageWaitTimeSeconds", "MaximumMessageSize",
            "CreatedTimestamp", "LastModifiedTimestamp", "QueueArn", "ApproximateNumberOfMessages",
            "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed", "ApproximateAgeOfOldestMessage",
        })
        {
            Assert.True(all.ContainsKey(name), name);
        }
    }

    [Fact]
    public async Task A_closed_engine_refuses_calls_and_a_data_directory_opens_in_one_engine_only()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");

        var second = await Assert.ThrowsAsync<LogQueueException>(() => QueueEngine.OpenAsync(Options.Create(new QueueEngineOptions { DataDirectory = t.DataDirectory })));
        Assert.Equal(ErrorCode.StorageInUse, second.Code);

        await t.Engine.DisposeAsync();
        Assert.Equal(ErrorCode.Closed, (await Assert.ThrowsAsync<LogQueueException>(() => t.SendAsync("q", "m"))).Code);
        Assert.Equal(ErrorCode.Closed, Assert.Throws<LogQueueException>(() => t.Engine.ListQueues()).Code);
    }
}
