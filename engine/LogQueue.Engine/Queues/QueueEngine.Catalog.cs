using System.Globalization;
using LogQueue.Engine.IO;
using Microsoft.Extensions.Logging;

namespace LogQueue.Engine.Queues;

public sealed partial class QueueEngine
{
    /// <summary>
    /// Creates a queue. Idempotent: creating an existing queue with the same attributes returns it;
    /// different attributes fail with QueueNameExists.
    /// </summary>
    /// <returns>The queue's name.</returns>
    public async Task<string> CreateQueueAsync(string name, IReadOnlyDictionary<string, string>? attributes = null, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        QueueName queueName = QueueName.Parse(name);
        QueueAttributes requested = QueueAttributes.ForCreateQueue(queueName, attributes, _time.GetUtcNow(), _options.MaxAllowedMessageSize);
        await _catalogLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfClosed();
            if (FindQueue(name) is { } existing)
            {
                if (existing.Metadata.Attributes.FindConflict(queueName, attributes, _options.MaxAllowedMessageSize) is { } conflict)
                {
                    throw new LogQueueException(ErrorCode.QueueNameExists, $"A queue named '{name}' already exists with a different value for {conflict}.");
                }

                return name;
            }

            ValidateRedrive(queueName, requested);

            string directory = Path.Combine(_options.DataDirectory, QueuesFolder, name);
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            Directory.CreateDirectory(directory);
            QueueMetadata metadata = QueueMetadata.CreateNew(queueName, requested);
            MessageQueue queue = await OpenQueueAsync(name, directory, metadata).ConfigureAwait(false);
            try
            {
                // queue.json last: until it exists, the directory is an unfinished creation.
                metadata.Save(directory);
                NativeFile.SyncDirectory(Path.Combine(_options.DataDirectory, QueuesFolder));
            }
            catch
            {
                await queue.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            lock (_queues)
            {
                _queues.Add(name, queue);
            }

            LogCreated(name);
            return name;
        }
        finally
        {
            _catalogLock.Release();
        }
    }

    /// <summary>Deletes a queue and every message in it. Receives waiting on it return empty.</summary>
    public async Task DeleteQueueAsync(string name, CancellationToken cancellationToken = default)
    {
        MessageQueue queue = GetQueue(name);
        await _catalogLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_queues)
            {
                if (!_queues.Remove(name, out MessageQueue? current) || !ReferenceEquals(current, queue))
                {
                    throw new LogQueueException(ErrorCode.QueueDoesNotExist, $"The queue '{name}' does not exist.");
                }
            }

            await queue.DisposeAsync().ConfigureAwait(false);
            string deleted = Path.Combine(_options.DataDirectory, DeletedFolder);
            Directory.CreateDirectory(deleted);
            string target = Path.Combine(deleted, name + "-" + queue.Incarnation.ToString("x16", CultureInfo.InvariantCulture));
            Directory.Move(queue.Directory, target);
            NativeFile.SyncDirectory(Path.Combine(_options.DataDirectory, QueuesFolder));
            Directory.Delete(target, recursive: true);
            LogDeleted(name);
        }
        finally
        {
            _catalogLock.Release();
        }
    }

    /// <summary>Queue names, in ordinal order, optionally only those starting with <paramref name="prefix"/>.</summary>
    public IReadOnlyList<string> ListQueues(string? prefix = null)
    {
        ThrowIfClosed();
        lock (_queues)
        {
            return [.. _queues.Keys.Where(n => prefix is null || n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>
    /// Queue attributes as SQS renders them: the settable ones, the timestamps, the queue ARN and the
    /// approximate counts. <paramref name="names"/> null or containing "All" returns every attribute.
    /// </summary>
    public IReadOnlyDictionary<string, string> GetQueueAttributes(string name, IEnumerable<string>? names = null)
    {
        MessageQueue queue = GetQueue(name);
        var all = new Dictionary<string, string>(queue.Metadata.Attributes.ToSqsAttributes(), StringComparer.Ordinal);
        all[QueueAttributeNames.QueueArn] = QueueArn.Format(queue.Metadata.Name);
        QueueCounts counts = queue.GetCounts();
        all["ApproximateNumberOfMessages"] = counts.Visible.ToString(CultureInfo.InvariantCulture);
        all["ApproximateNumberOfMessagesNotVisible"] = counts.NotVisible.ToString(CultureInfo.InvariantCulture);
        all["ApproximateNumberOfMessagesDelayed"] = counts.Delayed.ToString(CultureInfo.InvariantCulture);
        all["ApproximateAgeOfOldestMessage"] = counts.OldestAgeSeconds.ToString(CultureInfo.InvariantCulture);
        if (names is null)
        {
            return all;
        }

        var selected = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string attribute in names)
        {
            if (attribute == "All")
            {
                return all;
            }

            if (!all.TryGetValue(attribute, out string? value))
            {
                throw new LogQueueException(ErrorCode.InvalidAttributeName, $"Unknown queue attribute '{attribute}'.");
            }

            selected[attribute] = value;
        }

        return selected;
    }

    /// <summary>Changes settable attributes; the change applies to the next receive and send.</summary>
    public async Task SetQueueAttributesAsync(string name, IReadOnlyDictionary<string, string> attributes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        MessageQueue queue = GetQueue(name);
        await _catalogLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            QueueAttributes changed = queue.Metadata.Attributes.WithChanges(attributes, _time.GetUtcNow(), _options.MaxAllowedMessageSize);
            ValidateRedrive(queue.Metadata.Name, changed);
            QueueMetadata metadata = queue.Metadata.WithAttributes(changed);
            metadata.Save(queue.Directory);
            queue.ApplyMetadata(metadata);
        }
        finally
        {
            _catalogLock.Release();
        }
    }

    /// <summary>Deletes every message in the queue sent before the call. At most once per 60 seconds.</summary>
    public Task PurgeQueueAsync(string name, CancellationToken cancellationToken = default) =>
        GetQueue(name).PurgeAsync(cancellationToken).AsTask();

    // A dead-letter target must exist, be of the same kind (standard or FIFO), not be the queue itself,
    // and allow this queue as a source.
    private void ValidateRedrive(QueueName source, QueueAttributes attributes)
    {
        if (attributes.RedrivePolicy is not { } policy)
        {
            return;
        }

        QueueName target = policy.DeadLetterTarget;
        if (target == source)
        {
            throw new LogQueueException(ErrorCode.InvalidAttributeValue, $"RedrivePolicy: the queue '{source.Value}' cannot be its own dead-letter queue.");
        }

        MessageQueue dlq = FindQueue(target.Value)
            ?? throw new LogQueueException(ErrorCode.InvalidAttributeValue, $"RedrivePolicy: the dead-letter queue '{target.Value}' does not exist.");
        if (target.IsFifo != source.IsFifo)
        {
            throw new LogQueueException(ErrorCode.InvalidAttributeValue, $"RedrivePolicy: the dead-letter queue of a {(source.IsFifo ? "FIFO" : "standard")} queue must be {(source.IsFifo ? "FIFO" : "standard")} too.");
        }

        if (dlq.Metadata.Attributes.RedriveAllowPolicy is { } allow && !allow.Allows(source))
        {
            throw new LogQueueException(ErrorCode.InvalidAttributeValue, $"RedrivePolicy: the RedriveAllowPolicy of '{target.Value}' does not allow '{source.Value}' as a source.");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created queue {Queue}")]
    private partial void LogCreated(string queue);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted queue {Queue}")]
    private partial void LogDeleted(string queue);
}
