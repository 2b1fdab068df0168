using System.Diagnostics.CodeAnalysis;

namespace LogQueue.Engine.Queues;

/// <summary>
/// SQS-style ARNs for queues: <c>arn:aws:sqs:&lt;region&gt;:&lt;account&gt;:&lt;name&gt;</c>. LogQueue has one
/// account and no regions, so it renders every queue as <c>arn:aws:sqs:logqueue:000000000000:&lt;name&gt;</c>,
/// and where a queue is referred to (a redrive target, a redrive source) it accepts either a plain queue
/// name or any well-formed ARN, of which only the name counts: SQS tools compute ARNs with their own
/// region and account, and they should still find the queue here.
/// </summary>
public static class QueueArn
{
    /// <summary>The region LogQueue renders in ARNs.</summary>
    public const string Region = "logqueue";

    /// <summary>The account LogQueue renders in ARNs (twelve digits, like an AWS account id).</summary>
    public const string AccountId = "000000000000";

    private const string Prefix = "arn:aws:sqs:" + Region + ":" + AccountId + ":";

    /// <summary>The ARN of the queue <paramref name="name"/>.</summary>
    public static string Format(QueueName name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Prefix + name.Value;
    }

    /// <summary>
    /// Reads a queue reference: an ARN <c>arn:&lt;partition&gt;:sqs:&lt;region&gt;:&lt;account&gt;:&lt;name&gt;</c>
    /// (partition, region and account non-empty, not checked further) or a plain queue name.
    /// </summary>
    /// <param name="value">The reference.</param>
    /// <param name="name">The queue's name when the reference is well formed.</param>
    /// <param name="reason">Why it is not, when it is not.</param>
    public static bool TryParseNameOrArn(string? value, [NotNullWhen(true)] out QueueName? name, [NotNullWhen(false)] out string? reason)
    {
        name = null;
        if (string.IsNullOrEmpty(value))
        {
            reason = "the queue reference is empty";
            return false;
        }

        string candidate = value;
        if (value.StartsWith("arn:", StringComparison.Ordinal))
        {
            string[] parts = value.Split(':');
            if (parts.Length != 6 || parts[1].Length == 0 || parts[2] != "sqs" || parts[3].Length == 0 || parts[4].Length == 0)
            {
                reason = $"{AttributeValueError.Quote(value)} is not an SQS queue ARN of the form arn:aws:sqs:<region>:<account>:<queue name>";
                return false;
            }

            candidate = parts[5];
        }

        if (!QueueName.TryParse(candidate, out name))
        {
            reason = $"{AttributeValueError.Quote(candidate)} is not a valid queue name. {QueueName.Rule}";
            return false;
        }

        reason = null;
        return true;
    }
}
