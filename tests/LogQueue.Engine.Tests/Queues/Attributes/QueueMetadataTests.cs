using System.Text;
using LogQueue.Engine.Queues;
using LogQueue.TestSupport;

namespace LogQueue.Engine.Tests.Queues.Attributes;

public class QueueMetadataTests
{
    private static readonly DateTimeOffset Created = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    private static QueueAttributes Configured() => QueueAttributes.ForCreateQueue(
        QueueName.Parse("orders"),
        new Dictionary<string, string>
        {
            [QueueAttributeNames.VisibilityTimeout] = "45",
            [QueueAttributeNames.MessageRetentionPeriod] = "60",
            [QueueAttributeNames.DelaySeconds] = "900",
            [QueueAttributeNames.ReceiveMessageWaitTimeSeconds] = "20",
            [QueueAttributeNames.MaximumMessageSize] = "1024",
            [QueueAttributeNames.RedrivePolicy] = """{"deadLetterTargetArn":"orders-dlq","maxReceiveCount":5}""",
            [QueueAttributeNames.RedriveAllowPolicy] = """{"redrivePermission":"byQueue","sourceQueueArns":["x","y"]}""",
        },
        Created).WithChanges(new Dictionary<string, string> { [QueueAttributeNames.DelaySeconds] = "899" }, Created.AddSeconds(10));

    [Fact]
    public void Json_round_trip_keeps_everything()
    {
        QueueMetadata original = QueueMetadata.CreateNew(QueueName.Parse("orders"), Configured());

        QueueMetadata read = QueueMetadata.FromJsonUtf8(original.ToJsonUtf8());

        Assert.Equal(original.Name, read.Name);
        Assert.Equal(original.IncarnationId, read.IncarnationId);
        Assert.Equal(original.Attributes, read.Attributes);
        Assert.Equal(original.Attributes.CreatedTimestamp, read.Attributes.CreatedTimestamp);
        Assert.Equal(original.Attributes.LastModifiedTimestamp, read.Attributes.LastModifiedTimestamp);
        Assert.Equal(original.Attributes.ToSqsAttributes(), read.Attributes.ToSqsAttributes());
    }

    [Theory]
    [InlineData(RedrivePermission.AllowAll)]
    [InlineData(RedrivePermission.DenyAll)]
    public void Json_round_trip_of_defaults_and_other_permissions(RedrivePermission permission)
    {
        string json = permission == RedrivePermission.AllowAll ? """{"redrivePermission":"allowAll"}""" : """{"redrivePermission":"denyAll"}""";
        QueueAttributes attributes = QueueAttributes.CreateDefault(Created)
            .WithChanges(new Dictionary<string, string> { [QueueAttributeNames.RedriveAllowPolicy] = json }, Created);
        QueueMetadata original = new(QueueName.Parse("q"), 42, attributes);

        QueueMetadata read = QueueMetadata.FromJsonUtf8(original.ToJsonUtf8());

        Assert.Equal(attributes, read.Attributes);
        Assert.Equal(42UL, read.IncarnationId);
        Assert.Null(read.Attributes.RedrivePolicy);
    }

    [Fact]
    public void The_document_has_the_documented_shape()
    {
        var metadata = new QueueMetadata(QueueName.Parse("orders"), 0x9f2c4e6a0b1d3f57, Configured());

        string json = Encoding.UTF8.GetString(metadata.ToJsonUtf8());

        Assert.Equal(
            """
            {
              "version": 1,
              "name": "orders",
              "incarnationId": "9f2c4e6a0b1d3f57",
              "createdTimestamp": 1700000000,
              "lastModifiedTimestamp": 1700000010,
              "attributes": {
                "visibilityTimeout": 45,
                "messageRetentionPeriod": 60,
                "delaySeconds": 899,
                "receiveMessageWaitTimeSeconds": 20,
                "maximumMessageSize": 1024,
                "redrivePolicy": {
                  "deadLetterTarget": "orders-dlq",
                  "maxReceiveCount": 5
                },
                "redriveAllowPolicy": {
                  "redrivePermission": "byQueue",
                  "sourceQueues": [
                    "x",
                    "y"
                  ]
                }
              }
            }
            """.ReplaceLineEndings("\n"),
            json.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Incarnation_ids_are_random_and_never_zero()
    {
        QueueAttributes attributes = QueueAttributes.CreateDefault(Created);
        ulong[] ids = [.. Enumerable.Range(0, 20).Select(_ => QueueMetadata.CreateNew(QueueName.Parse("q"), attributes).IncarnationId)];

        Assert.DoesNotContain(0UL, ids);
        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.Throws<ArgumentOutOfRangeException>(() => new QueueMetadata(QueueName.Parse("q"), 0, attributes));
    }

    [Fact]
    public void Save_replaces_the_file_and_load_reads_it()
    {
        using var dir = new TempDirectory();
        Assert.Null(QueueMetadata.TryLoad(dir.Path));

        QueueMetadata first = QueueMetadata.CreateNew(QueueName.Parse("orders"), QueueAttributes.CreateDefault(Created));
        first.Save(dir.Path);
        QueueMetadata second = first.WithAttributes(Configured());
        second.Save(dir.Path);

        QueueMetadata? read = QueueMetadata.TryLoad(dir.Path);
        Assert.NotNull(read);
        Assert.Equal(second.Attributes, read.Attributes);
        Assert.Equal(first.IncarnationId, read.IncarnationId);
        Assert.Equal([QueueMetadata.FileName], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("""{"version":2}""")]
    [InlineData("""{"version":1}""")]
    [InlineData("""{"version":1,"name":"bad name","incarnationId":"0000000000000001","createdTimestamp":1,"lastModifiedTimestamp":1,"attributes":{"visibilityTimeout":30,"messageRetentionPeriod":345600,"delaySeconds":0,"receiveMessageWaitTimeSeconds":0,"maximumMessageSize":1048576}}""")]
    [InlineData("""{"version":1,"name":"q","incarnationId":"0000000000000000","createdTimestamp":1,"lastModifiedTimestamp":1,"attributes":{"visibilityTimeout":30,"messageRetentionPeriod":345600,"delaySeconds":0,"receiveMessageWaitTimeSeconds":0,"maximumMessageSize":1048576}}""")]
    [InlineData("""{"version":1,"name":"q","incarnationId":"xyz","createdTimestamp":1,"lastModifiedTimestamp":1,"attributes":{"visibilityTimeout":30,"messageRetentionPeriod":345600,"delaySeconds":0,"receiveMessageWaitTimeSeconds":0,"maximumMessageSize":1048576}}""")]
    [InlineData("""{"version":1,"name":"q","incarnationId":"0000000000000001","createdTimestamp":1,"lastModifiedTimestamp":1,"attributes":{"visibilityTimeout":43201,"messageRetentionPeriod":345600,"delaySeconds":0,"receiveMessageWaitTimeSeconds":0,"maximumMessageSize":1048576}}""")]
    [InlineData("""{"version":1,"name":"q","incarnationId":"0000000000000001","createdTimestamp":1,"lastModifiedTimestamp":1,"attributes":{"visibilityTimeout":30,"messageRetentionPeriod":345600,"delaySeconds":0,"receiveMessageWaitTimeSeconds":0}}""")]
    [InlineData("""{"version":1,"name":"q","incarnationId":"0000000000000001","createdTimestamp":1,"lastModifiedTimestamp":1,"attributes":{"visibilityTimeout":30,"messageRetentionPeriod":345600,"delaySeconds":0,"receiveMessageWaitTimeSeconds":0,"maximumMessageSize":1048576,"redrivePolicy":{"deadLetterTarget":"dlq","maxReceiveCount":0}}}""")]
    [InlineData("""{"version":1,"name":"q","incarnationId":"0000000000000001","createdTimestamp":1,"lastModifiedTimestamp":1,"attributes":{"visibilityTimeout":30,"messageRetentionPeriod":345600,"delaySeconds":0,"receiveMessageWaitTimeSeconds":0,"maximumMessageSize":1048576,"redriveAllowPolicy":{"redrivePermission":"byQueue","sourceQueues":[]}}}""")]
    [InlineData("""{"version":1,"name":"q","incarnationId":"0000000000000001","createdTimestamp":5,"lastModifiedTimestamp":4,"attributes":{"visibilityTimeout":30,"messageRetentionPeriod":345600,"delaySeconds":0,"receiveMessageWaitTimeSeconds":0,"maximumMessageSize":1048576}}""")]
    public void Malformed_documents_are_reported_as_corrupt(string json)
    {
        var ex = Assert.Throws<LogQueueException>(() => QueueMetadata.FromJsonUtf8(Encoding.UTF8.GetBytes(json)));
        Assert.Equal(ErrorCode.StorageCorrupt, ex.Code);
        Assert.Contains("queue.json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_corrupt_file_is_reported_with_its_path()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine(QueueMetadata.FileName), "{");

        var ex = Assert.Throws<LogQueueException>(() => QueueMetadata.TryLoad(dir.Path));

        Assert.Equal(ErrorCode.StorageCorrupt, ex.Code);
        Assert.Contains(dir.Path, ex.Message, StringComparison.Ordinal);
    }
}
