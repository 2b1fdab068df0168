using LogQueue.Engine.Queues;

namespace LogQueue.Engine.Tests.Queues.Attributes;

public class QueueNameTests
{
    [Theory]
    [InlineData("a", false)]
    [InlineData("orders", false)]
    [InlineData("Orders_2-b", false)]
    [InlineData("a.fifo", true)]
    [InlineData("orders-dlq.fifo", true)]
    public void Valid_names_parse(string value, bool isFifo)
    {
        QueueName name = QueueName.Parse(value);

        Assert.Equal(value, name.Value);
        Assert.Equal(isFifo, name.IsFifo);
        Assert.Equal(value, name.ToString());
    }

    [Fact]
    public void Eighty_characters_is_the_limit_and_the_fifo_suffix_counts()
    {
        Assert.True(QueueName.TryParse(new string('x', 80), out _));
        Assert.False(QueueName.TryParse(new string('x', 81), out _));
        Assert.True(QueueName.TryParse(new string('x', 75) + ".fifo", out QueueName? fifo));
        Assert.True(fifo.IsFifo);
        Assert.False(QueueName.TryParse(new string('x', 76) + ".fifo", out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(".fifo")]
    [InlineData("a b")]
    [InlineData("a.b")]
    [InlineData("a.fifo.fifo")]
    [InlineData("a.FIFO")]
    [InlineData("a/b")]
    [InlineData("caf\u00e9")]
    [InlineData("a:b")]
    public void Invalid_names_are_refused_with_the_rule(string? value)
    {
        Assert.False(QueueName.TryParse(value, out _));
        var ex = Assert.Throws<LogQueueException>(() => QueueName.Parse(value));
        Assert.Equal(ErrorCode.InvalidParameterValue, ex.Code);
        Assert.Contains("1 to 80 characters of A-Z, a-z, 0-9, hyphen (-) and underscore (_)", ex.Message, StringComparison.Ordinal);
        Assert.Contains(".fifo", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_compare_ordinally_and_case_sensitively()
    {
        Assert.Equal(QueueName.Parse("abc"), QueueName.Parse("abc"));
        Assert.True(QueueName.Parse("abc") == QueueName.Parse("abc"));
        Assert.NotEqual(QueueName.Parse("abc"), QueueName.Parse("ABC"));
        Assert.True(QueueName.Parse("abc") != QueueName.Parse("ABC"));
        Assert.Equal(QueueName.Parse("abc").GetHashCode(), QueueName.Parse("abc").GetHashCode());
    }

    [Theory]
    [InlineData("orders", "orders")]
    [InlineData("arn:aws:sqs:us-east-1:123456789012:orders", "orders")]
    [InlineData("arn:aws-cn:sqs:cn-north-1:123456789012:orders.fifo", "orders.fifo")]
    [InlineData("arn:aws:sqs:logqueue:000000000000:dlq", "dlq")]
    public void Queue_references_are_names_or_arns(string reference, string expected)
    {
        Assert.True(QueueArn.TryParseNameOrArn(reference, out QueueName? name, out string? reason), reason);
        Assert.Equal(expected, name.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("arn:aws:sns:us-east-1:123456789012:orders")]
    [InlineData("arn:aws:sqs:us-east-1:orders")]
    [InlineData("arn:aws:sqs::123456789012:orders")]
    [InlineData("arn:aws:sqs:us-east-1::orders")]
    [InlineData("arn:aws:sqs:us-east-1:123456789012:or ders")]
    [InlineData("arn:aws:sqs:us-east-1:123456789012:a:b")]
    [InlineData("not a name")]
    public void Malformed_queue_references_are_refused(string reference)
    {
        Assert.False(QueueArn.TryParseNameOrArn(reference, out _, out string? reason));
        Assert.False(string.IsNullOrEmpty(reason));
    }

    [Fact]
    public void Arns_render_with_the_logqueue_region_and_account() =>
        Assert.Equal("arn:aws:sqs:logqueue:000000000000:orders", QueueArn.Format(QueueName.Parse("orders")));
}
