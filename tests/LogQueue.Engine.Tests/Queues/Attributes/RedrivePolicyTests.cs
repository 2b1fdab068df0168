using LogQueue.Engine.Queues;

namespace LogQueue.Engine.Tests.Queues.Attributes;

public class RedrivePolicyTests
{
    [Theory]
    [InlineData("""{"deadLetterTargetArn":"dlq","maxReceiveCount":5}""", "dlq", 5)]
    [InlineData("""{"deadLetterTargetArn":"arn:aws:sqs:us-east-2:123456789012:MyDeadLetterQueue","maxReceiveCount":"10"}""", "MyDeadLetterQueue", 10)]
    [InlineData("""{"maxReceiveCount":1,"deadLetterTargetArn":"arn:aws:sqs:logqueue:000000000000:dlq"}""", "dlq", 1)]
    [InlineData("""{"deadLetterTargetArn":"d","maxReceiveCount":1000}""", "d", 1000)]
    public void Targets_are_read_from_names_and_arns(string json, string target, int count)
    {
        RedrivePolicy policy = RedrivePolicy.Parse(json)!;

        Assert.Equal(target, policy.DeadLetterTarget.Value);
        Assert.Equal(count, policy.MaxReceiveCount);
        Assert.Equal($$"""{"deadLetterTargetArn":"arn:aws:sqs:logqueue:000000000000:{{target}}","maxReceiveCount":{{count}}}""", policy.ToJson());
        Assert.Equal(policy, RedrivePolicy.Parse(policy.ToJson()));
    }

    [Fact]
    public void An_empty_string_is_no_policy() => Assert.Null(RedrivePolicy.Parse(""));

    [Theory]
    [InlineData("""{"deadLetterTargetArn":"dlq","maxReceiveCount":0}""", "from 1 to 1000")]
    [InlineData("""{"deadLetterTargetArn":"dlq","maxReceiveCount":1001}""", "from 1 to 1000")]
    [InlineData("""{"deadLetterTargetArn":"dlq","maxReceiveCount":"0"}""", "from 1 to 1000")]
    [InlineData("""{"deadLetterTargetArn":"dlq","maxReceiveCount":2.5}""", "from 1 to 1000")]
    [InlineData("""{"deadLetterTargetArn":"dlq","maxReceiveCount":true}""", "from 1 to 1000")]
    [InlineData("""{"deadLetterTargetArn":"dlq"}""", "\"maxReceiveCount\" is required")]
    [InlineData("""{"maxReceiveCount":3}""", "\"deadLetterTargetArn\" is required")]
    [InlineData("""{"deadLetterTargetArn":"dlq","maxReceiveCount":3,"extra":1}""", "\"extra\" is not part")]
    [InlineData("""{"deadLetterTargetArn":"dlq","deadLetterTargetArn":"dlq","maxReceiveCount":3}""", "more than once")]
    [InlineData("""{"deadLetterTargetArn":5,"maxReceiveCount":3}""", "must be a string")]
    [InlineData("""{"deadLetterTargetArn":"arn:aws:sns:us-east-1:1:topic","maxReceiveCount":3}""", "not an SQS queue ARN")]
    [InlineData("""{"deadLetterTargetArn":"bad name","maxReceiveCount":3}""", "not a valid queue name")]
    [InlineData("""[1,2]""", "JSON object")]
    [InlineData("""{"deadLetterTargetArn":"dlq",""", "not valid JSON")]
    [InlineData("dlq", "not valid JSON")]
    public void Malformed_policies_are_refused_with_the_reason(string json, string reason)
    {
        var ex = Assert.Throws<LogQueueException>(() => RedrivePolicy.Parse(json));

        Assert.Equal(ErrorCode.InvalidAttributeValue, ex.Code);
        Assert.Contains("RedrivePolicy", ex.Message, StringComparison.Ordinal);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void The_constructor_checks_the_count(int count) =>
        Assert.Equal(ErrorCode.InvalidAttributeValue, Assert.Throws<LogQueueException>(() => new RedrivePolicy(QueueName.Parse("dlq"), count)).Code);

    [Theory]
    [InlineData("""{"redrivePermission":"allowAll"}""", RedrivePermission.AllowAll)]
    [InlineData("""{"redrivePermission":"allowAll","sourceQueueArns":[]}""", RedrivePermission.AllowAll)]
    [InlineData("""{"redrivePermission":"denyAll"}""", RedrivePermission.DenyAll)]
    public void Allow_and_deny_all_take_no_sources(string json, RedrivePermission permission)
    {
        RedriveAllowPolicy policy = RedriveAllowPolicy.Parse(json)!;

        Assert.Equal(permission, policy.Permission);
        Assert.Empty(policy.SourceQueues);
        Assert.Equal(permission == RedrivePermission.AllowAll, policy.Allows(QueueName.Parse("any")));
        Assert.Equal(policy, RedriveAllowPolicy.Parse(policy.ToJson()));
    }

    [Fact]
    public void By_queue_allows_exactly_the_listed_sources()
    {
        RedriveAllowPolicy policy = RedriveAllowPolicy.Parse(
            """{"redrivePermission":"byQueue","sourceQueueArns":["arn:aws:sqs:us-east-1:123456789012:b","a"]}""")!;

        Assert.Equal(["a", "b"], policy.SourceQueues.Select(q => q.Value));
        Assert.True(policy.Allows(QueueName.Parse("a")));
        Assert.True(policy.Allows(QueueName.Parse("b")));
        Assert.False(policy.Allows(QueueName.Parse("c")));
        Assert.Equal(
            """{"redrivePermission":"byQueue","sourceQueueArns":["arn:aws:sqs:logqueue:000000000000:a","arn:aws:sqs:logqueue:000000000000:b"]}""",
            policy.ToJson());
        Assert.Equal(policy, RedriveAllowPolicy.Parse(policy.ToJson()));
        Assert.Equal(policy, RedriveAllowPolicy.ByQueue([QueueName.Parse("b"), QueueName.Parse("a"), QueueName.Parse("a")]));
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(10, true)]
    [InlineData(0, false)]
    [InlineData(11, false)]
    public void By_queue_lists_one_to_ten_sources(int count, bool valid)
    {
        string sources = string.Join(',', Enumerable.Range(0, count).Select(i => $"\"q{i}\""));
        string json = $$"""{"redrivePermission":"byQueue","sourceQueueArns":[{{sources}}]}""";
        if (valid)
        {
            Assert.Equal(count, RedriveAllowPolicy.Parse(json)!.SourceQueues.Count);
            Assert.Equal(count, RedriveAllowPolicy.ByQueue(Enumerable.Range(0, count).Select(i => QueueName.Parse($"q{i}"))).SourceQueues.Count);
        }
        else
        {
            var ex = Assert.Throws<LogQueueException>(() => RedriveAllowPolicy.Parse(json));
            Assert.Equal(ErrorCode.InvalidAttributeValue, ex.Code);
            Assert.Contains("1 to 10", ex.Message, StringComparison.Ordinal);
            Assert.Throws<LogQueueException>(() => RedriveAllowPolicy.ByQueue(Enumerable.Range(0, count).Select(i => QueueName.Parse($"q{i}"))));
        }
    }

    [Theory]
    [InlineData("""{"redrivePermission":"byQueue"}""", "1 to 10")]
    [InlineData("""{"redrivePermission":"allowAll","sourceQueueArns":["a"]}""", "only when")]
    [InlineData("""{"redrivePermission":"denyAll","sourceQueueArns":["a"]}""", "only when")]
    [InlineData("""{"redrivePermission":"AllowAll"}""", "must be \"allowAll\", \"denyAll\" or \"byQueue\"")]
    [InlineData("""{"sourceQueueArns":["a"]}""", "\"redrivePermission\" is required")]
    [InlineData("""{"redrivePermission":"byQueue","sourceQueueArns":"a"}""", "must be an array")]
    [InlineData("""{"redrivePermission":"byQueue","sourceQueueArns":[1]}""", "only strings")]
    [InlineData("""{"redrivePermission":"byQueue","sourceQueueArns":["bad name"]}""", "not a valid queue name")]
    [InlineData("""{"redrivePermission":"byQueue","sourceQueueArns":["a"],"other":1}""", "\"other\" is not part")]
    public void Malformed_allow_policies_are_refused_with_the_reason(string json, string reason)
    {
        var ex = Assert.Throws<LogQueueException>(() => RedriveAllowPolicy.Parse(json));

        Assert.Equal(ErrorCode.InvalidAttributeValue, ex.Code);
        Assert.Contains("RedriveAllowPolicy", ex.Message, StringComparison.Ordinal);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }
}
