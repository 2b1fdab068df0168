using System.Buffers;
using LogQueue.Engine.Queues.Messages;

namespace LogQueue.Engine.Queues;

public sealed partial class QueueEngine
{
    /// <summary>Sends one message; completes when it is stored under the durability mode.</summary>
    public async Task<SendMessageResult> SendMessageAsync(string queueName, SendMessageRequest request, CancellationToken cancellationToken = default) =>
        await GetQueue(queueName).SendAsync(request, cancellationToken).ConfigureAwait(false);

    /// <summary>Sends a batch; each entry succeeds or fails on its own. The successful ones share one append and one flush.</summary>
    public async Task<IReadOnlyList<BatchResultEntry<SendMessageResult>>> SendMessageBatchAsync(
        string queueName,
        IReadOnlyList<(string Id, SendMessageRequest Request)> entries,
        CancellationToken cancellationToken = default)
    {
        MessageQueue queue = GetQueue(queueName);
        ValidateBatch(entries, static e => e.Id);
        return await queue.SendBatchAsync(entries, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Receives messages, long-polling when asked to. Cancellation and timeout return an empty list.</summary>
    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveMessageAsync(string queueName, ReceiveMessageRequest request, CancellationToken cancellationToken = default) =>
        await GetQueue(queueName).ReceiveAsync(request, _options.MaxBatchSize, cancellationToken).ConfigureAwait(false);

    /// <summary>Deletes one message by its receipt handle; completes when the delete is durable.</summary>
    public async Task DeleteMessageAsync(string queueName, string receiptHandle, CancellationToken cancellationToken = default) =>
        await GetQueue(queueName).DeleteAsync(receiptHandle, cancellationToken).ConfigureAwait(false);

    /// <summary>Deletes messages by receipt handle, reporting each entry.</summary>
    public async Task<IReadOnlyList<BatchResultEntry<bool>>> DeleteMessageBatchAsync(
        string queueName,
        IReadOnlyList<(string Id, string ReceiptHandle)> entries,
        CancellationToken cancellationToken = default)
    {
        MessageQueue queue = GetQueue(queueName);
        ValidateBatch(entries, static e => e.Id);
        return await queue.DeleteBatchAsync(entries, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Changes a received message's visibility timeout, counted from now (0: visible at once).</summary>
    public void ChangeMessageVisibility(string queueName, string receiptHandle, TimeSpan visibilityTimeout) =>
        GetQueue(queueName).ChangeVisibility(receiptHandle, visibilityTimeout);

    /// <summary>Changes the visibility timeout of several messages, reporting each entry.</summary>
    public IReadOnlyList<BatchResultEntry<bool>> ChangeMessageVisibilityBatch(
        string queueName,
        IReadOnlyList<(string Id, string ReceiptHandle, TimeSpan VisibilityTimeout)> entries)
    {
        MessageQueue queue = GetQueue(queueName);
        ValidateBatch(entries, static e => e.Id);
        return queue.ChangeVisibilityBatch(entries);
    }

    private const int SmallBatch = 16;

    private static readonly SearchValues<char> BatchEntryIdCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    // The batch rules of SQS: not empty, not over the limit, ids of 1-80 characters of A-Za-z0-9-_, distinct.
    private void ValidateBatch<T>(IReadOnlyList<T> entries, Func<T, string> id)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            throw new LogQueueException(ErrorCode.EmptyBatchRequest, "The batch holds no entries.");
        }

        if (entries.Count > _options.MaxBatchSize)
        {
            throw new LogQueueException(ErrorCode.TooManyEntriesInBatchRequest, $"The batch holds {entries.Count} entries; the most is {_options.MaxBatchSize}.");
        }

        if (HasPositionalIds(entries, id))
        {
            return;
        }

        // Batches of SQS's size are checked for duplicates pairwise: a set would cost more than the comparisons.
        HashSet<string>? seen = entries.Count > SmallBatch ? new HashSet<string>(entries.Count, StringComparer.Ordinal) : null;
        for (int i = 0; i < entries.Count; i++)
        {
            string entryId = id(entries[i]);
            if (string.IsNullOrEmpty(entryId) || entryId.Length > 80 || entryId.AsSpan().ContainsAnyExcept(BatchEntryIdCharacters))
            {
                throw new LogQueueException(ErrorCode.InvalidBatchEntryId, $"Batch entry id '{entryId}' must be 1 to 80 characters of A-Z, a-z, 0-9, hyphen and underscore.");
            }

            if (seen is not null ? !seen.Add(entryId) : IsEarlierId(entries, id, i, entryId))
            {
                throw new LogQueueException(ErrorCode.BatchEntryIdsNotDistinct, $"Two batch entries share the id '{entryId}'.");
            }
        }
    }

    /// <summary>
    /// True when every entry's id is its position in decimal ("0", "1", ...), as the binary protocol's entries
    /// are numbered: such ids are valid and distinct by construction (each parses to a different number), so a
    /// batch of 100 needs no set of its ids, which cost about a fifth of the server's dispatch of a send batch.
    /// </summary>
    private static bool HasPositionalIds<T>(IReadOnlyList<T> entries, Func<T, string> id)
    {
        for (int i = 0; i < entries.Count; i++)
        {
            string entryId = id(entries[i]);
            if (entryId is not { Length: > 0 and <= 9 }
                || !int.TryParse(entryId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int position)
                || position != i)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsEarlierId<T>(IReadOnlyList<T> entries, Func<T, string> id, int index, string entryId)
    {
        for (int j = 0; j < index; j++)
        {
            if (string.Equals(id(entries[j]), entryId, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
