using System.Globalization;
using LogQueue.Engine.Queues;

namespace LogQueue.Engine.Tests.Queues.Attributes;

public class QueueAttributesTests
{
    private static readonly DateTimeOffset Created = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
    private static readonly QueueName Standard = QueueName.Parse("orders");

    public static TheoryData<string, long, long> Ranges => new()
    {
        { QueueAttributeNames.VisibilityTimeout, 0, 43_200 },
        { QueueAttributeNames.MessageRetentionPeriod, 60, 1_209_600 },
        { QueueAttributeNames.DelaySeconds, 0, 900 },
        { QueueAttributeNames.ReceiveMessageWaitTimeSeconds, 0, 20 },
        { QueueAttributeNames.MaximumMessageSize, 1_024, 1_048_576 },
    };

    [Fact]
    public void Defaults_are_the_sqs_defaults()
    {
        QueueAttributes a = QueueAttributes.CreateDefault(Created);

        Assert.Equal(30, a.VisibilityTimeout);
        Assert.Equal(345_600, a.MessageRetentionPeriod);
        Assert.Equal(0, a.DelaySeconds);
        Assert.Equal(0, a.ReceiveMessageWaitTimeSeconds);
        Assert.Equal(1_048_576, a.MaximumMessageSize);
        Assert.Null(a.RedrivePolicy);
        Assert.Null(a.RedriveAllowPolicy);
        Assert.Equal(1_700_000_000, a.CreatedTimestamp);
        Assert.Equal(1_700_000_000, a.LastModifiedTimestamp);
        Assert.Equal(a, QueueAttributes.ForCreateQueue(Standard, null, Created));
    }

    [Theory]
    [MemberData(nameof(Ranges))]
    public void Range_ends_are_accepted_on_create_and_set(string attribute, long min, long max)
    {
        foreach (long value in new[] { min, max })
        {
            string text = value.ToString(CultureInfo.InvariantCulture);
            QueueAttributes created = QueueAttributes.ForCreateQueue(Standard, Attrs(attribute, text), Created);
            QueueAttributes changed = QueueAttributes.CreateDefault(Created).WithChanges(Attrs(attribute, text), Created.AddMinutes(1));

            Assert.Equal(text, created.ToSqsAttributes()[attribute]);
            Assert.Equal(text, changed.ToSqsAttributes()[attribute]);
        }
    }

    [Theory]
    [MemberData(nameof(Ranges))]
    public void Values_just_outside_the_range_are_refused_naming_attribute_value_and_range(string attribute, long min, long max)
    {
        foreach (long value in new[] { min - 1, max + 1 })
        {
            string text = value.ToString(CultureInfo.InvariantCulture);
            var onCreate = Assert.Throws<LogQueueException>(() => QueueAttributes.ForCreateQueue(Standard, Attrs(attribute, text), Created));
            var onSet = Assert.Throws<LogQueueException>(() => QueueAttributes.CreateDefault(Created).WithChanges(Attrs(attribute, text), Created));

            foreach (LogQueueException ex in new[] { onCreate, onSet })
            {
                Assert.Equal(ErrorCode.InvalidAttributeValue, ex.Code);
                Assert.Contains(attribute, ex.Message, StringComparison.Ordinal);
                Assert.Contains($"'{text}'", ex.Message, StringComparison.Ordinal);
                Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"from {min} to {max}"), ex.Message, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData(" 30")]
    [InlineData("30 ")]
    [InlineData("30.0")]
    [InlineData("1e1")]
    [InlineData("thirty")]
    [InlineData("99999999999999999999999")]
    public void Integer_attributes_must_be_plain_integers(string text)
    {
        var ex = Assert.Throws<LogQueueException>(() => QueueAttributes.ForCreateQueue(Standard, Attrs(QueueAttributeNames.VisibilityTimeout, text), Created));
        Assert.Equal(ErrorCode.InvalidAttributeValue, ex.Code);
    }

    [Fact]
    public void The_engine_may_allow_a_larger_maximum_message_size()
    {
        const int allowed = 4 * 1024 * 1024;
        QueueAttributes a = QueueAttributes.ForCreateQueue(Standard, Attrs(QueueAttributeNames.MaximumMessageSize, "4194304"), Created, allowed);
        Assert.Equal(allowed, a.MaximumMessageSize);

        var ex = Assert.Throws<LogQueueException>(() => QueueAttributes.ForCreateQueue(Standard, Attrs(QueueAttributeNames.MaximumMessageSize, "4194305"), Created, allowed));
        Assert.Contains("from 1024 to 4194304", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => QueueAttributes.ForCreateQueue(Standard, null, Created, 1023));
    }

    [Theory]
    [InlineData("Visibilitytimeout")]
    [InlineData("Bogus")]
    [InlineData("All")]
    public void Unknown_attribute_names_are_named_in_the_error(string name)
    {
        var ex = Assert.Throws<LogQueueException>(() => QueueAttributes.ForCreateQueue(Standard, Attrs(name, "1"), Created));
        Assert.Equal(ErrorCode.InvalidAttributeName, ex.Code);
        Assert.Contains($"'{name}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrongly_cased_name_gets_a_hint() =>
        Assert.Contains(
            "did you mean VisibilityTimeout",
            Assert.Throws<LogQueueException>(() => QueueAttributes.ForCreateQueue(Standard, Attrs("visibilitytimeout", "1"), Created)).Message,
            StringComparison.Ordinal);

    [Theory]
    [InlineData(QueueAttributeNames.CreatedTimestamp, "read-only")]
    [InlineData(QueueAttributeNames.LastModifiedTimestamp, "read-only")]
    [InlineData(QueueAttributeNames.QueueArn, "read-only")]
    [InlineData(QueueAttributeNames.ApproximateNumberOfMessages, "read-only")]
    [InlineData(QueueAttributeNames.ContentBasedDeduplication, "only to FIFO queues")]
    [InlineData(QueueAttributeNames.DeduplicationScope, "only to FIFO queues")]
    [InlineData(QueueAttributeNames.FifoThroughputLimit, "only to FIFO queues")]
    [InlineData(QueueAttributeNames.Policy, "does not support yet")]
    [InlineData(QueueAttributeNames.SqsManagedSseEnabled, "does not support yet")]
    public void Read_only_fifo_only_and_unsupported_attributes_are_refused_clearly(string name, string why)
    {
        var onCreate = Assert.Throws<LogQueueException>(() => QueueAttributes.ForCreateQueue(Standard, Attrs(name, "1"), Created));
        var onSet = Assert.Throws<LogQueueException>(() => QueueAttributes.CreateDefault(Created).WithChanges(Attrs(name, "1"), Created));

        foreach (LogQueueException ex in new[] { onCreate, onSet })
        {
            Assert.Equal(ErrorCode.InvalidAttributeName, ex.Code);
            Assert.Contains(name, ex.Message, StringComparison.Ordinal);
            Assert.Contains(why, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void FifoQueue_is_refused_on_a_standard_name_unless_false()
    {
        var ex = Assert.Throws<LogQueueException>(() => QueueAttributes.ForCreateQueue(Standard, Attrs(QueueAttributeNames.FifoQueue, "true"), Created));
        Assert.Equal(ErrorCode.InvalidAttributeName, ex.Code);
        Assert.Contains(".fifo", ex.Message, StringComparison.Ordinal);

        Assert.Equal(QueueAttributes.CreateDefault(Created), QueueAttributes.ForCreateQueue(Standard, Attrs(QueueAttributeNames.FifoQueue, "false"), Created));
        Assert.Equal(
            ErrorCode.InvalidAttributeValue,
            Assert.Throws<LogQueueException>(() => QueueAttributes.ForCreateQueue(Standard, Attrs(QueueAttributeNames.FifoQueue, "yes"), Created)).Code);
    }

    [Fact]
    public void FifoQueue_cannot_be_set_after_creation()
    {
        var ex = Assert.Throws<LogQueueException>(() => QueueAttributes.CreateDefault(Created).WithChanges(Attrs(QueueAttributeNames.FifoQueue, "false"), Created));
        Assert.Equal(ErrorCode.InvalidAttributeName, ex.Code);
        Assert.Contains("when a queue is created", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fifo_queue_needs_its_suffix_and_FifoQueue_true_and_starts_at_fifo_defaults()
    {
        QueueName fifo = QueueName.Parse("orders.fifo");
        QueueAttributes attributes = QueueAttributes.ForCreateQueue(fifo, Attrs(QueueAttributeNames.FifoQueue, "true"), Created);
        Assert.True(attributes.FifoQueue);
        Assert.Equal(FifoQueueAttributes.Default, attributes.Fifo);
        IReadOnlyDictionary<string, string> sqs = attributes.ToSqsAttributes();
        Assert.Equal("true", sqs[QueueAttributeNames.FifoQueue]);
        Assert.Equal("false", sqs[QueueAttributeNames.ContentBasedDeduplication]);
        Assert.Equal("queue", sqs[QueueAttributeNames.DeduplicationScope]);
        Assert.Equal("perQueue", sqs[QueueAttributeNames.FifoThroughputLimit]);
        Assert.Equal(
            ErrorCode.InvalidParameterValue,
            Assert.Throws<LogQueueException>(() => QueueAttributes.ForCreateQueue(fifo, null, Created)).Code);
        Assert.Equal(
            ErrorCode.InvalidParameterValue,
            Assert.Throws<LogQueueException>(() => QueueAttributes.ForCreateQueue(fifo, Attrs(QueueAttributeNames.FifoQueue, "false"), Created)).Code);
        Assert.Equal(
            ErrorCode.InvalidAttributeName,
            Assert.Throws<LogQueueException>(() => QueueAttributes.ForCreateQueue(Standard, Attrs(QueueAttributeNames.FifoQueue, "true"), Created)).Code);
        Assert.False(QueueAttributes.ForCreateQueue(Standard, null, Created).ToSqsAttributes().ContainsKey(QueueAttributeNames.FifoQueue));
    }

    [Fact]
    public void Fifo_attributes_are_parsed_set_and_checked_together()
    {
        QueueName fifo = QueueName.Parse("orders.fifo");
        QueueAttributes high = QueueAttributes.ForCreateQueue(
            fifo,
            new Dictionary<string, string>
            {
                [QueueAttributeNames.FifoQueue] = "true",
                [QueueAttributeNames.ContentBasedDeduplication] = "true",
                [QueueAttributeNames.DeduplicationScope] = "messageGroup",
                [QueueAttributeNames.FifoThroughputLimit] = "perMessageGroupId",
            },
            Created);
        Assert.Equal(new FifoQueueAttributes(true, DeduplicationScope.MessageGroup, FifoThroughputLimit.PerMessageGroupId), high.Fifo);

        // High-throughput mode needs per-group deduplication, as in SQS.
        var mixed = Assert.Throws<LogQueueException>(() => high.WithChanges(Attrs(QueueAttributeNames.DeduplicationScope, "queue"), Created));
        Assert.Equal(ErrorCode.InvalidAttributeValue, mixed.Code);
        Assert.Contains("perMessageGroupId", mixed.Message, StringComparison.Ordinal);
        QueueAttributes back = high.WithChanges(
            new Dictionary<string, string> { [QueueAttributeNames.DeduplicationScope] = "queue", [QueueAttributeNames.FifoThroughputLimit] = "perQueue" },
            Created);
        Assert.Equal(new FifoQueueAttributes(true, DeduplicationScope.Queue, FifoThroughputLimit.PerQueue), back.Fifo);

        Assert.Equal(ErrorCode.InvalidAttributeValue, Assert.Throws<LogQueueException>(() => back.WithChanges(Attrs(QueueAttributeNames.DeduplicationScope, "Queue"), Created)).Code);
        Assert.Equal(ErrorCode.InvalidAttributeValue, Assert.Throws<LogQueueException>(() => back.WithChanges(Attrs(QueueAttributeNames.FifoThroughputLimit, "perGroup"), Created)).Code);
        Assert.Equal(ErrorCode.InvalidAttributeValue, Assert.Throws<LogQueueException>(() => back.WithChanges(Attrs(QueueAttributeNames.ContentBasedDeduplication, "yes"), Created)).Code);
        Assert.Equal(ErrorCode.InvalidAttributeName, Assert.Throws<LogQueueException>(() => back.WithChanges(Attrs(QueueAttributeNames.FifoQueue, "true"), Created)).Code);

        // On a standard queue the FIFO-only attributes are unknown.
        QueueAttributes standard = QueueAttributes.ForCreateQueue(Standard, null, Created);
        var refused = Assert.Throws<LogQueueException>(() => standard.WithChanges(Attrs(QueueAttributeNames.ContentBasedDeduplication, "true"), Created));
        Assert.Equal(ErrorCode.InvalidAttributeName, refused.Code);
        Assert.Contains("only to FIFO", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fifo_queue_dead_letters_only_into_a_fifo_queue_and_its_attributes_survive_queue_json()
    {
        QueueName fifo = QueueName.Parse("orders.fifo");
        var ex = Assert.Throws<LogQueueException>(() => QueueAttributes.ForCreateQueue(
            fifo,
            new Dictionary<string, string> { [QueueAttributeNames.FifoQueue] = "true", [QueueAttributeNames.RedrivePolicy] = """{"deadLetterTargetArn":"dlq","maxReceiveCount":3}""" },
            Created));
        Assert.Equal(ErrorCode.InvalidAttributeValue, ex.Code);
        Assert.Contains("FIFO", ex.Message, StringComparison.Ordinal);

        QueueAttributes attributes = QueueAttributes.ForCreateQueue(
            fifo,
            new Dictionary<string, string>
            {
                [QueueAttributeNames.FifoQueue] = "true",
                [QueueAttributeNames.RedrivePolicy] = """{"deadLetterTargetArn":"dlq.fifo","maxReceiveCount":3}""",
                [QueueAttributeNames.DeduplicationScope] = "messageGroup",
            },
            Created);
        var metadata = new QueueMetadata(fifo, 0x1234, attributes);
        QueueMetadata read = QueueMetadata.FromJsonUtf8(metadata.ToJsonUtf8());
        Assert.Equal(attributes, read.Attributes);
        Assert.Equal(DeduplicationScope.MessageGroup, read.Attributes.Fifo!.DeduplicationScope);
    }

    [Fact]
    public void A_standard_queue_cannot_dead_letter_into_a_fifo_queue()
    {
        var ex = Assert.Throws<LogQueueException>(() => QueueAttributes.ForCreateQueue(
            Standard, Attrs(QueueAttributeNames.RedrivePolicy, """{"deadLetterTargetArn":"dlq.fifo","maxReceiveCount":3}"""), Created));
        Assert.Equal(ErrorCode.InvalidAttributeValue, ex.Code);
        Assert.Contains("standard queue", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Set_changes_only_the_given_attributes_and_stamps_the_change()
    {
        QueueAttributes before = QueueAttributes.ForCreateQueue(Standard, Attrs(QueueAttributeNames.DelaySeconds, "5"), Created);
        QueueAttributes after = before.WithChanges(
            new Dictionary<string, string>
            {
                [QueueAttributeNames.VisibilityTimeout] = "60",
                [QueueAttributeNames.RedrivePolicy] = """{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:dlq","maxReceiveCount":"5"}""",
            },
            Created.AddSeconds(90));

        Assert.Equal(60, after.VisibilityTimeout);
        Assert.Equal(5, after.DelaySeconds);
        Assert.Equal("dlq", after.RedrivePolicy!.DeadLetterTarget.Value);
        Assert.Equal(5, after.RedrivePolicy.MaxReceiveCount);
        Assert.Equal(before.CreatedTimestamp, after.CreatedTimestamp);
        Assert.Equal(before.CreatedTimestamp + 90, after.LastModifiedTimestamp);
        Assert.Equal(30, before.VisibilityTimeout);
    }

    [Fact]
    public void An_empty_string_removes_a_policy()
    {
        QueueAttributes withPolicies = QueueAttributes.ForCreateQueue(
            Standard,
            new Dictionary<string, string>
            {
                [QueueAttributeNames.RedrivePolicy] = """{"deadLetterTargetArn":"dlq","maxReceiveCount":3}""",
                [QueueAttributeNames.RedriveAllowPolicy] = """{"redrivePermission":"denyAll"}""",
            },
            Created);

        QueueAttributes cleared = withPolicies.WithChanges(
            new Dictionary<string, string> { [QueueAttributeNames.RedrivePolicy] = "", [QueueAttributeNames.RedriveAllowPolicy] = "" }, Created);

        Assert.NotNull(withPolicies.RedrivePolicy);
        Assert.Null(cleared.RedrivePolicy);
        Assert.Null(cleared.RedriveAllowPolicy);
        Assert.False(cleared.ToSqsAttributes().ContainsKey(QueueAttributeNames.RedrivePolicy));
    }

    [Fact]
    public void A_failed_set_changes_nothing()
    {
        QueueAttributes before = QueueAttributes.CreateDefault(Created);
        Assert.Throws<LogQueueException>(() => before.WithChanges(
            new Dictionary<string, string> { [QueueAttributeNames.VisibilityTimeout] = "60", [QueueAttributeNames.DelaySeconds] = "901" }, Created));
        Assert.Equal(30, before.VisibilityTimeout);
    }

    [Fact]
    public void Equality_covers_settable_attributes_not_timestamps()
    {
        var attrs = new Dictionary<string, string>
        {
            [QueueAttributeNames.VisibilityTimeout] = "45",
            [QueueAttributeNames.RedrivePolicy] = """{"deadLetterTargetArn":"dlq","maxReceiveCount":3}""",
            [QueueAttributeNames.RedriveAllowPolicy] = """{"redrivePermission":"byQueue","sourceQueueArns":["b","a"]}""",
        };
        QueueAttributes first = QueueAttributes.ForCreateQueue(Standard, attrs, Created);
        QueueAttributes later = QueueAttributes.ForCreateQueue(Standard, attrs, Created.AddDays(3));

        Assert.Equal(first, later);
        Assert.Equal(first.GetHashCode(), later.GetHashCode());
        Assert.NotEqual(first, first.WithChanges(Attrs(QueueAttributeNames.VisibilityTimeout, "46"), Created));
        Assert.NotEqual(first, QueueAttributes.CreateDefault(Created));
    }

    [Fact]
    public void Create_of_an_existing_queue_conflicts_only_on_named_attributes_that_differ()
    {
        QueueAttributes existing = QueueAttributes.ForCreateQueue(
            Standard,
            new Dictionary<string, string>
            {
                [QueueAttributeNames.VisibilityTimeout] = "45",
                [QueueAttributeNames.RedrivePolicy] = """{"deadLetterTargetArn":"dlq","maxReceiveCount":3}""",
            },
            Created);

        Assert.Null(existing.FindConflict(Standard, null));
        Assert.Null(existing.FindConflict(Standard, Attrs(QueueAttributeNames.DelaySeconds, "0")));
        Assert.Null(existing.FindConflict(
            Standard, Attrs(QueueAttributeNames.RedrivePolicy, """{"maxReceiveCount":"3","deadLetterTargetArn":"arn:aws:sqs:eu-west-1:111111111111:dlq"}""")));
        Assert.Equal(QueueAttributeNames.DelaySeconds, existing.FindConflict(Standard, Attrs(QueueAttributeNames.DelaySeconds, "1")));
        Assert.Equal(QueueAttributeNames.RedrivePolicy, existing.FindConflict(Standard, Attrs(QueueAttributeNames.RedrivePolicy, "")));
        Assert.Throws<LogQueueException>(() => existing.FindConflict(Standard, Attrs(QueueAttributeNames.DelaySeconds, "901")));
    }

    [Fact]
    public void Rendering_gives_sqs_strings()
    {
        QueueAttributes a = QueueAttributes.ForCreateQueue(
            Standard,
            new Dictionary<string, string>
            {
                [QueueAttributeNames.RedrivePolicy] = """{ "deadLetterTargetArn" : "arn:aws:sqs:us-east-1:123456789012:dlq", "maxReceiveCount" : "7" }""",
                [QueueAttributeNames.RedriveAllowPolicy] = """{"redrivePermission":"byQueue","sourceQueueArns":["zeta","arn:aws:sqs:us-east-1:123456789012:alpha","zeta"]}""",
            },
            Created);

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["VisibilityTimeout"] = "30",
                ["MessageRetentionPeriod"] = "345600",
                ["DelaySeconds"] = "0",
                ["ReceiveMessageWaitTimeSeconds"] = "0",
                ["MaximumMessageSize"] = "1048576",
                ["CreatedTimestamp"] = "1700000000",
                ["LastModifiedTimestamp"] = "1700000000",
                ["RedrivePolicy"] = """{"deadLetterTargetArn":"arn:aws:sqs:logqueue:000000000000:dlq","maxReceiveCount":7}""",
                ["RedriveAllowPolicy"] =
                    """{"redrivePermission":"byQueue","sourceQueueArns":["arn:aws:sqs:logqueue:000000000000:alpha","arn:aws:sqs:logqueue:000000000000:zeta"]}""",
            },
            a.ToSqsAttributes().OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary());
    }

    private static Dictionary<string, string> Attrs(string name, string value) => new() { [name] = value };
}
