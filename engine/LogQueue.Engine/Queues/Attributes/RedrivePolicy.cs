using System.Globalization;
using System.Text.Json;

namespace LogQueue.Engine.Queues;

/// <summary>
/// A queue's dead-letter rule (SQS <c>RedrivePolicy</c>): a message received more than
/// <see cref="MaxReceiveCount"/> times moves to <see cref="DeadLetterTarget"/>.
/// In SQS form it is the JSON <c>{"deadLetterTargetArn":"...","maxReceiveCount":N}</c>; the target may be
/// given as an ARN or a plain queue name (see <see cref="QueueArn"/>), and is kept as a name.
/// </summary>
public sealed class RedrivePolicy : IEquatable<RedrivePolicy>
{
    private const string TargetKey = "deadLetterTargetArn";
    private const string CountKey = "maxReceiveCount";

    /// <summary>Creates a policy.</summary>
    /// <exception cref="LogQueueException"><see cref="ErrorCode.InvalidAttributeValue"/> when the count is outside 1..1000.</exception>
    public RedrivePolicy(QueueName deadLetterTarget, int maxReceiveCount)
    {
        ArgumentNullException.ThrowIfNull(deadLetterTarget);
        if (maxReceiveCount is < QueueLimits.MinMaxReceiveCount or > QueueLimits.MaxMaxReceiveCount)
        {
            throw AttributeValueError.Create(
                QueueAttributeNames.RedrivePolicy,
                maxReceiveCount.ToString(CultureInfo.InvariantCulture),
                $"maxReceiveCount must be an integer from {QueueLimits.MinMaxReceiveCount} to {QueueLimits.MaxMaxReceiveCount}");
        }

        DeadLetterTarget = deadLetterTarget;
        MaxReceiveCount = maxReceiveCount;
    }

    /// <summary>The dead-letter queue.</summary>
    public QueueName DeadLetterTarget { get; }

    /// <summary>How many receives a message may have; the next one moves it to the dead-letter queue instead.</summary>
    public int MaxReceiveCount { get; }

    /// <summary>
    /// Reads the SQS string form. An empty string means "no policy" (SetQueueAttributes uses it to remove one)
    /// and gives null. <c>maxReceiveCount</c> may be a number or a string of digits, as SQS accepts both.
    /// </summary>
    /// <exception cref="LogQueueException"><see cref="ErrorCode.InvalidAttributeValue"/> naming what is wrong.</exception>
    public static RedrivePolicy? Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0)
        {
            return null;
        }

        var json = new PolicyJson(QueueAttributeNames.RedrivePolicy, value);
        using JsonDocument document = json.ParseObject();
        string? target = null;
        int? count = null;
        foreach (JsonProperty property in document.RootElement.EnumerateObject())
        {
            switch (property.Name)
            {
                case TargetKey:
                    json.EnsureFirst(target is not null, TargetKey);
                    target = json.GetString(property);
                    break;
                case CountKey:
                    json.EnsureFirst(count is not null, CountKey);
                    count = json.GetInt32(property, QueueLimits.MinMaxReceiveCount, QueueLimits.MaxMaxReceiveCount);
                    break;
                default:
                    throw json.UnknownKey(property.Name, $"\"{TargetKey}\" and \"{CountKey}\"");
            }
        }

        if (target is null)
        {
            throw json.MissingKey(TargetKey);
        }

        if (count is null)
        {
            throw json.MissingKey(CountKey);
        }

        if (!QueueArn.TryParseNameOrArn(target, out QueueName? name, out string? reason))
        {
            throw json.Fail($"\"{TargetKey}\": {reason}");
        }

        return new RedrivePolicy(name, count.Value);
    }

    /// <summary>The SQS string form, compact JSON with the target as a LogQueue ARN.</summary>
    public string ToJson() =>
        $"{{\"{TargetKey}\":\"{QueueArn.Format(DeadLetterTarget)}\",\"{CountKey}\":{MaxReceiveCount.ToString(CultureInfo.InvariantCulture)}}}";

    /// <inheritdoc />
    public bool Equals(RedrivePolicy? other) =>
        other is not null && DeadLetterTarget == other.DeadLetterTarget && MaxReceiveCount == other.MaxReceiveCount;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as RedrivePolicy);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(DeadLetterTarget, MaxReceiveCount);

    /// <summary>The SQS string form.</summary>
    public override string ToString() => ToJson();
}
