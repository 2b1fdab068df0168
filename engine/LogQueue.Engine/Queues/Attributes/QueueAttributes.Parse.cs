using System.Globalization;

namespace LogQueue.Engine.Queues;

/// <summary>Reading the SQS string attributes of CreateQueue and SetQueueAttributes.</summary>
public sealed partial class QueueAttributes
{
    private static readonly string[] ReadOnlyNames =
    [
        QueueAttributeNames.CreatedTimestamp,
        QueueAttributeNames.LastModifiedTimestamp,
        QueueAttributeNames.QueueArn,
        QueueAttributeNames.ApproximateNumberOfMessages,
        QueueAttributeNames.ApproximateNumberOfMessagesNotVisible,
        QueueAttributeNames.ApproximateNumberOfMessagesDelayed,
    ];

    private static readonly string[] FifoOnlyNames =
    [
        QueueAttributeNames.ContentBasedDeduplication,
        QueueAttributeNames.DeduplicationScope,
        QueueAttributeNames.FifoThroughputLimit,
    ];

    private static readonly string[] UnsupportedNames =
    [
        QueueAttributeNames.Policy,
        QueueAttributeNames.KmsMasterKeyId,
        QueueAttributeNames.KmsDataKeyReusePeriodSeconds,
        QueueAttributeNames.SqsManagedSseEnabled,
    ];

    private static readonly string[] SettableNames =
    [
        QueueAttributeNames.VisibilityTimeout,
        QueueAttributeNames.MessageRetentionPeriod,
        QueueAttributeNames.DelaySeconds,
        QueueAttributeNames.ReceiveMessageWaitTimeSeconds,
        QueueAttributeNames.MaximumMessageSize,
        QueueAttributeNames.RedrivePolicy,
        QueueAttributeNames.RedriveAllowPolicy,
    ];

    /// <summary>
    /// The attributes of a new queue: the defaults, overridden by CreateQueue's <paramref name="attributes"/>
    /// (SQS names and string forms). A name ending in <c>.fifo</c> makes a FIFO queue and needs <c>FifoQueue=true</c>
    /// (as in SQS); any other name makes a standard queue, which refuses <c>FifoQueue=true</c> and the FIFO-only attributes.
    /// </summary>
    /// <param name="name">The new queue's name.</param>
    /// <param name="attributes">The requested attributes, or null for none.</param>
    /// <param name="now">The creation time.</param>
    /// <param name="maxAllowedMessageSize">The largest <c>MaximumMessageSize</c> the engine allows (at least 1,024); also the default when it is below SQS's.</param>
    /// <exception cref="LogQueueException">
    /// <see cref="ErrorCode.InvalidAttributeName"/> for an unknown, read-only or FIFO-only attribute;
    /// <see cref="ErrorCode.InvalidAttributeValue"/> for a value out of range or malformed;
    /// <see cref="ErrorCode.InvalidParameterValue"/> for a FIFO name without <c>FifoQueue=true</c>.
    /// </exception>
    public static QueueAttributes ForCreateQueue(
        QueueName name,
        IReadOnlyDictionary<string, string>? attributes,
        DateTimeOffset now,
        int maxAllowedMessageSize = QueueLimits.DefaultMaximumMessageSize)
    {
        ArgumentNullException.ThrowIfNull(name);
        CheckMaxAllowed(maxAllowedMessageSize);
        QueueAttributes defaults = CreateDefault(now).AsKind(CheckQueueKind(name, attributes));
        if (maxAllowedMessageSize < defaults.MaximumMessageSize)
        {
            // An engine that allows less than SQS's default makes its own limit the default: a queue must
            // not promise messages that its log cannot store.
            defaults = new QueueAttributes(
                defaults.VisibilityTimeout,
                defaults.MessageRetentionPeriod,
                defaults.DelaySeconds,
                defaults.ReceiveMessageWaitTimeSeconds,
                maxAllowedMessageSize,
                redrivePolicy: null,
                redriveAllowPolicy: null,
                defaults.Fifo,
                defaults.CreatedTimestamp,
                defaults.LastModifiedTimestamp);
        }

        return attributes is null or { Count: 0 }
            ? defaults
            : defaults.Apply(attributes, creating: true, maxAllowedMessageSize, defaults.LastModifiedTimestamp);
    }

    /// <summary>
    /// These attributes changed by SetQueueAttributes' <paramref name="attributes"/>, with
    /// <see cref="LastModifiedTimestamp"/> set to <paramref name="now"/>. An empty string for a policy removes it.
    /// Nothing changes unless every attribute is valid.
    /// </summary>
    /// <exception cref="LogQueueException">As <see cref="ForCreateQueue"/>; <c>FifoQueue</c> is refused here (creation only).</exception>
    public QueueAttributes WithChanges(
        IReadOnlyDictionary<string, string> attributes,
        DateTimeOffset now,
        int maxAllowedMessageSize = QueueLimits.DefaultMaximumMessageSize)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        CheckMaxAllowed(maxAllowedMessageSize);
        if (attributes.Count == 0)
        {
            return this;
        }

        return Apply(attributes, creating: false, maxAllowedMessageSize, Math.Max(CreatedTimestamp, now.ToUnixTimeSeconds()));
    }

    /// <summary>
    /// For CreateQueue of a name that exists: the first attribute the request names whose value differs from
    /// this queue's, or null when the request agrees (SQS answers with the existing queue then; an attribute
    /// left out of the request never conflicts). The request is checked as <see cref="ForCreateQueue"/> checks it.
    /// </summary>
    /// <exception cref="LogQueueException">As <see cref="ForCreateQueue"/>.</exception>
    public string? FindConflict(
        QueueName name,
        IReadOnlyDictionary<string, string>? requested,
        int maxAllowedMessageSize = QueueLimits.DefaultMaximumMessageSize)
    {
        ArgumentNullException.ThrowIfNull(name);
        CheckMaxAllowed(maxAllowedMessageSize);
        bool fifo = CheckQueueKind(name, requested);
        return requested is null or { Count: 0 }
            ? null
            : FirstDifference(AsKind(fifo).Apply(requested, creating: true, maxAllowedMessageSize, LastModifiedTimestamp));
    }

    private QueueAttributes Apply(IReadOnlyDictionary<string, string> attributes, bool creating, int maxAllowedMessageSize, long lastModified)
    {
        int visibilityTimeout = VisibilityTimeout;
        int retention = MessageRetentionPeriod;
        int delay = DelaySeconds;
        int wait = ReceiveMessageWaitTimeSeconds;
        int maximumMessageSize = MaximumMessageSize;
        RedrivePolicy? redrivePolicy = RedrivePolicy;
        RedriveAllowPolicy? redriveAllowPolicy = RedriveAllowPolicy;
        FifoQueueAttributes? fifo = Fifo;
        foreach ((string name, string value) in attributes)
        {
            if (value is null)
            {
                throw AttributeValueError.Create(name, null, "A value is required");
            }

            switch (name)
            {
                case QueueAttributeNames.VisibilityTimeout:
                    visibilityTimeout = ParseInteger(name, value, 0, QueueLimits.MaxVisibilityTimeout, "seconds");
                    break;
                case QueueAttributeNames.MessageRetentionPeriod:
                    retention = ParseInteger(name, value, QueueLimits.MinMessageRetentionPeriod, QueueLimits.MaxMessageRetentionPeriod, "seconds");
                    break;
                case QueueAttributeNames.DelaySeconds:
                    delay = ParseInteger(name, value, 0, QueueLimits.MaxDelaySeconds, "seconds");
                    break;
                case QueueAttributeNames.ReceiveMessageWaitTimeSeconds:
                    wait = ParseInteger(name, value, 0, QueueLimits.MaxReceiveMessageWaitTimeSeconds, "seconds");
                    break;
                case QueueAttributeNames.MaximumMessageSize:
                    maximumMessageSize = ParseInteger(name, value, QueueLimits.MinMaximumMessageSize, maxAllowedMessageSize, "bytes");
                    break;
                case QueueAttributeNames.RedrivePolicy:
                    redrivePolicy = Queues.RedrivePolicy.Parse(value);
                    if (redrivePolicy is not null && redrivePolicy.DeadLetterTarget.IsFifo != (Fifo is not null))
                    {
                        throw AttributeValueError.Create(
                            name,
                            value,
                            Fifo is null
                                ? "The dead-letter queue of a standard queue must be a standard queue, not a FIFO queue"
                                : "The dead-letter queue of a FIFO queue must be a FIFO queue (its name ends in .fifo)");
                    }

                    break;
                case QueueAttributeNames.RedriveAllowPolicy:
                    redriveAllowPolicy = Queues.RedriveAllowPolicy.Parse(value);
                    break;
                case QueueAttributeNames.FifoQueue when creating:
                    break; // CheckQueueKind has read it.
                case QueueAttributeNames.ContentBasedDeduplication when fifo is not null:
                    fifo = fifo with { ContentBasedDeduplication = ParseBoolean(name, value) };
                    break;
                case QueueAttributeNames.DeduplicationScope when fifo is not null:
                    fifo = FifoQueueAttributes.TryParseScope(value, out DeduplicationScope scope)
                        ? fifo with { DeduplicationScope = scope }
                        : throw AttributeValueError.Create(name, value, "It must be queue or messageGroup");
                    break;
                case QueueAttributeNames.FifoThroughputLimit when fifo is not null:
                    fifo = FifoQueueAttributes.TryParseLimit(value, out FifoThroughputLimit limit)
                        ? fifo with { FifoThroughputLimit = limit }
                        : throw AttributeValueError.Create(name, value, "It must be perQueue or perMessageGroupId");
                    break;
                default:
                    throw NotSettable(name, creating);
            }
        }

        if (fifo?.Invalidity() is { } invalid)
        {
            throw new LogQueueException(ErrorCode.InvalidAttributeValue, $"Invalid value for the attribute {QueueAttributeNames.FifoThroughputLimit}: {invalid} (set both in one request).");
        }

        return new QueueAttributes(
            visibilityTimeout, retention, delay, wait, maximumMessageSize, redrivePolicy, redriveAllowPolicy, fifo, CreatedTimestamp, lastModified);
    }

    // The same attributes as a queue of the kind CheckQueueKind found; a FIFO queue starts from FIFO's defaults.
    private QueueAttributes AsKind(bool fifo) => fifo == FifoQueue
        ? this
        : new QueueAttributes(
            VisibilityTimeout,
            MessageRetentionPeriod,
            DelaySeconds,
            ReceiveMessageWaitTimeSeconds,
            MaximumMessageSize,
            RedrivePolicy,
            RedriveAllowPolicy,
            fifo ? FifoQueueAttributes.Default : null,
            CreatedTimestamp,
            LastModifiedTimestamp);

    private static bool ParseBoolean(string attribute, string value) =>
        bool.TryParse(value, out bool parsed) && value.Trim().Length == value.Length
            ? parsed
            : throw AttributeValueError.Create(attribute, value, "It must be true or false");

    /// <summary>
    /// Whether the request makes a FIFO queue: a <c>.fifo</c> name with <c>FifoQueue=true</c>. As in SQS, a FIFO name
    /// without the attribute is refused, and so is the attribute on a standard name.
    /// </summary>
    private static bool CheckQueueKind(QueueName name, IReadOnlyDictionary<string, string>? attributes)
    {
        bool? fifo = null;
        if (attributes is not null && attributes.TryGetValue(QueueAttributeNames.FifoQueue, out string? value))
        {
            fifo = ParseBoolean(QueueAttributeNames.FifoQueue, value);
        }

        if (name.IsFifo)
        {
            return fifo == true
                ? true
                : throw new LogQueueException(
                    ErrorCode.InvalidParameterValue,
                    $"Queue name '{name}' ends in {QueueName.FifoSuffix}, which only a FIFO queue's name may; a FIFO queue is created with the attribute FifoQueue=true.");
        }

        if (fifo == true)
        {
            throw new LogQueueException(
                ErrorCode.InvalidAttributeName,
                $"The attribute FifoQueue=true makes a FIFO queue, whose name must end in {QueueName.FifoSuffix}; '{name}' is the name of a standard queue.");
        }

        return false;
    }

    private static LogQueueException NotSettable(string name, bool creating)
    {
        string message =
            name == QueueAttributeNames.FifoQueue && !creating ? "The attribute FifoQueue can only be given when a queue is created."
            : FifoOnlyNames.Contains(name) ? $"The attribute {name} applies only to FIFO queues; this is a standard queue."
            : ReadOnlyNames.Contains(name) ? $"The attribute {name} is read-only."
            : UnsupportedNames.Contains(name) ? $"The attribute {name} is an SQS attribute that LogQueue does not support yet."
            : $"Unknown attribute {AttributeValueError.Quote(name)}.{CaseHint(name)}";
        return new LogQueueException(ErrorCode.InvalidAttributeName, message);
    }

    private static string CaseHint(string name)
    {
        string? match = SettableNames.FirstOrDefault(known => string.Equals(known, name, StringComparison.OrdinalIgnoreCase));
        return match is null ? string.Empty : $" Attribute names are case-sensitive: did you mean {match}?";
    }

    private static int ParseInteger(string attribute, string value, int min, int max, string unit)
    {
        if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number) || number < min || number > max)
        {
            throw AttributeValueError.Create(
                attribute,
                value,
                string.Create(CultureInfo.InvariantCulture, $"It must be an integer from {min} to {max} ({unit})"));
        }

        return (int)number;
    }

    private static void CheckMaxAllowed(int maxAllowedMessageSize) =>
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAllowedMessageSize, QueueLimits.MinMaximumMessageSize);
}
