using System.Globalization;
using System.Security.Cryptography;
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
        QueueName.Validate(name);
        if (QueueName.IsFifo(name))
        {
            throw new LogQueueException(ErrorCode.UnsupportedOperation, $"'{name}' names a FIFO queue; FIFO queues are not available in this version.");
        }

        long now = _time.GetUtcNow().ToUnixTimeSeconds();
        QueueAttributes requested = QueueAttributes.Create(attributes, now, _options.MaxAllowedMessageSize);
        await _catalogLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfClosed();
            if (FindQueue(name) is { } existing)
            {
                if (!existing.Metadata.Attributes.HasSameSettings(requested))
                {
                    throw new LogQueueException(ErrorCode.QueueNameExists, $"A queue named '{name}' already exists with different attributes.");
                }

                return name;
            }

            string directory = Path.Combine(_options.DataDirectory, QueuesFolder, name);
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            Directory.CreateDirectory(directory);
            var metadata = new QueueMetadata(RandomIncarnation(), requested);
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
        var all = new Dictionary<string, string>(queue.Metadata.Attributes.ToDictionary(name), StringComparer.Ordinal);
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
            long now = _time.GetUtcNow().ToUnixTimeSeconds();
            QueueAttributes changed = queue.Metadata.Attributes.With(attributes, now, _options.MaxAllowedMessageSize);
            QueueMetadata metadata = queue.Metadata with { Attributes = changed };
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

    private static long RandomIncarnation()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return BitConverter.ToInt64(bytes) & long.MaxValue;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created queue {Queue}")]
    private partial void LogCreated(string queue);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted queue {Queue}")]
    private partial void LogDeleted(string queue);
}
