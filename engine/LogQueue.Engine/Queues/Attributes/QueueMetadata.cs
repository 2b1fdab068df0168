using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using LogQueue.Engine.IO;

namespace LogQueue.Engine.Queues;

/// <summary>
/// What a queue's directory records about the queue itself, in <c>queue.json</c>: its name, a random 64-bit
/// incarnation id, and its attributes with the creation time. The incarnation id tells apart two queues that
/// had the same name at different times (a queue deleted and made again), so that anything bound to the old
/// one, a receipt handle for instance, can be refused by the new one.
/// </summary>
/// <remarks>
/// The file (format version 1, UTF-8 JSON, camelCase keys):
/// <code>
/// {
///   "version": 1,
///   "name": "orders",
///   "incarnationId": "9f2c4e6a0b1d3f57",      // 16 lowercase hex digits, never all zeros
///   "createdTimestamp": 1700000000,           // Unix seconds
///   "lastModifiedTimestamp": 1700000000,
///   "attributes": {
///     "visibilityTimeout": 30, "messageRetentionPeriod": 345600, "delaySeconds": 0,
///     "receiveMessageWaitTimeSeconds": 0, "maximumMessageSize": 1048576,
///     "redrivePolicy": { "deadLetterTarget": "orders-dlq", "maxReceiveCount": 5 },            // absent when none
///     "redriveAllowPolicy": { "redrivePermission": "byQueue", "sourceQueues": [ "orders" ] }  // absent when none
///   }
/// }
/// </code>
/// <see cref="Save"/> replaces the file atomically (temporary file, fsync, rename, directory fsync).
/// </remarks>
public sealed class QueueMetadata
{
    /// <summary>The format version this build writes and reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>The file's name in the queue's directory.</summary>
    public const string FileName = "queue.json";

    private const string TemporaryFileName = FileName + ".tmp";

    /// <summary>Creates metadata with a given incarnation id (non-zero), as when it was read back.</summary>
    public QueueMetadata(QueueName name, ulong incarnationId, QueueAttributes attributes)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(attributes);
        ArgumentOutOfRangeException.ThrowIfZero(incarnationId);
        Name = name;
        IncarnationId = incarnationId;
        Attributes = attributes;
    }

    /// <summary>The queue's name.</summary>
    public QueueName Name { get; }

    /// <summary>A random non-zero id drawn when the queue was created; it never changes while the queue lives.</summary>
    public ulong IncarnationId { get; }

    /// <summary>The queue's attributes, the creation time (<see cref="QueueAttributes.CreatedTimestamp"/>) included.</summary>
    public QueueAttributes Attributes { get; }

    /// <summary>Metadata for a new queue, with a fresh random incarnation id.</summary>
    public static QueueMetadata CreateNew(QueueName name, QueueAttributes attributes)
    {
        ulong incarnationId;
        Span<byte> random = stackalloc byte[sizeof(ulong)];
        do
        {
            RandomNumberGenerator.Fill(random);
            incarnationId = BitConverter.ToUInt64(random);
        }
        while (incarnationId == 0);

        return new QueueMetadata(name, incarnationId, attributes);
    }

    /// <summary>The same queue with other attributes (after SetQueueAttributes).</summary>
    public QueueMetadata WithAttributes(QueueAttributes attributes) => new(Name, IncarnationId, attributes);

    /// <summary>The <c>queue.json</c> document, UTF-8.</summary>
    public byte[] ToJsonUtf8()
    {
        QueueAttributes a = Attributes;
        var document = new QueueMetadataDocument
        {
            Version = FormatVersion,
            Name = Name.Value,
            IncarnationId = IncarnationId.ToString("x16", CultureInfo.InvariantCulture),
            CreatedTimestamp = a.CreatedTimestamp,
            LastModifiedTimestamp = a.LastModifiedTimestamp,
            Attributes = new QueueMetadataDocument.AttributesDocument
            {
                VisibilityTimeout = a.VisibilityTimeout,
                MessageRetentionPeriod = a.MessageRetentionPeriod,
                DelaySeconds = a.DelaySeconds,
                ReceiveMessageWaitTimeSeconds = a.ReceiveMessageWaitTimeSeconds,
                MaximumMessageSize = a.MaximumMessageSize,
                RedrivePolicy = a.RedrivePolicy is null ? null : new QueueMetadataDocument.RedrivePolicyDocument
                {
                    DeadLetterTarget = a.RedrivePolicy.DeadLetterTarget.Value,
                    MaxReceiveCount = a.RedrivePolicy.MaxReceiveCount,
                },
                RedriveAllowPolicy = a.RedriveAllowPolicy is null ? null : new QueueMetadataDocument.RedriveAllowPolicyDocument
                {
                    RedrivePermission = PermissionName(a.RedriveAllowPolicy.Permission),
                    SourceQueues = a.RedriveAllowPolicy.Permission == RedrivePermission.ByQueue
                        ? [.. a.RedriveAllowPolicy.SourceQueues.Select(q => q.Value)]
                        : null,
                },
                Fifo = a.Fifo is null ? null : new QueueMetadataDocument.FifoDocument
                {
                    ContentBasedDeduplication = a.Fifo.ContentBasedDeduplication,
                    DeduplicationScope = FifoQueueAttributes.Format(a.Fifo.DeduplicationScope),
                    FifoThroughputLimit = FifoQueueAttributes.Format(a.Fifo.FifoThroughputLimit),
                },
            },
        };
        return JsonSerializer.SerializeToUtf8Bytes(document, QueueMetadataJsonContext.Default.QueueMetadataDocument);
    }

    /// <summary>Reads a <c>queue.json</c> document.</summary>
    /// <exception cref="LogQueueException"><see cref="ErrorCode.StorageCorrupt"/> when it is malformed, of another version, or holds invalid values.</exception>
    public static QueueMetadata FromJsonUtf8(ReadOnlySpan<byte> json)
    {
        QueueMetadataDocument document;
        try
        {
            QueueMetadataDocument.VersionProbe probe = JsonSerializer.Deserialize(json, QueueMetadataJsonContext.Default.VersionProbe)
                ?? throw Corrupt("the document is null");
            if (probe.Version != FormatVersion)
            {
                throw Corrupt($"format version {probe.Version} is not one this build reads ({FormatVersion})");
            }

            document = JsonSerializer.Deserialize(json, QueueMetadataJsonContext.Default.QueueMetadataDocument)
                ?? throw Corrupt("the document is null");
        }
        catch (JsonException ex)
        {
            throw Corrupt($"it is not a valid queue document: {ex.Message}", ex);
        }

        if (!QueueName.TryParse(document.Name, out QueueName? name))
        {
            throw Corrupt($"the name {AttributeValueError.Quote(document.Name)} is not a valid queue name");
        }

        if (document.IncarnationId.Length != 16
            || !ulong.TryParse(document.IncarnationId, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong incarnationId)
            || incarnationId == 0)
        {
            throw Corrupt($"the incarnation id '{document.IncarnationId}' is not 16 hex digits, or is zero");
        }

        QueueMetadataDocument.AttributesDocument a = document.Attributes;
        QueueAttributes attributes = QueueAttributes.Restore(
            a.VisibilityTimeout,
            a.MessageRetentionPeriod,
            a.DelaySeconds,
            a.ReceiveMessageWaitTimeSeconds,
            a.MaximumMessageSize,
            RestoreRedrivePolicy(a.RedrivePolicy),
            RestoreRedriveAllowPolicy(a.RedriveAllowPolicy),
            RestoreFifo(a.Fifo),
            document.CreatedTimestamp,
            document.LastModifiedTimestamp,
            out string? reason) ?? throw Corrupt(reason!);
        if (attributes.FifoQueue != name.IsFifo)
        {
            throw Corrupt($"the queue {name} is stored as a {(attributes.FifoQueue ? "FIFO" : "standard")} queue, which its name contradicts");
        }

        return new QueueMetadata(name, incarnationId, attributes);
    }

    /// <summary>Writes <c>queue.json</c> into <paramref name="directory"/>, replacing any earlier one atomically and durably.</summary>
    public void Save(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        string temporary = Path.Combine(directory, TemporaryFileName);
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(ToJsonUtf8());
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, Path.Combine(directory, FileName), overwrite: true);
        NativeFile.SyncDirectory(directory);
    }

    /// <summary>Reads <c>queue.json</c> from <paramref name="directory"/>, or null when there is none.</summary>
    /// <exception cref="LogQueueException"><see cref="ErrorCode.StorageCorrupt"/> as <see cref="FromJsonUtf8"/>.</exception>
    public static QueueMetadata? TryLoad(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        byte[] json;
        try
        {
            json = File.ReadAllBytes(Path.Combine(directory, FileName));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        try
        {
            return FromJsonUtf8(json);
        }
        catch (LogQueueException ex) when (ex.Code == ErrorCode.StorageCorrupt)
        {
            throw new LogQueueException(ErrorCode.StorageCorrupt, $"{Path.Combine(directory, FileName)}: {ex.Message}", ex);
        }
    }

    private static string PermissionName(RedrivePermission permission) => permission switch
    {
        RedrivePermission.AllowAll => "allowAll",
        RedrivePermission.DenyAll => "denyAll",
        _ => "byQueue",
    };

    private static RedrivePolicy? RestoreRedrivePolicy(QueueMetadataDocument.RedrivePolicyDocument? stored)
    {
        if (stored is null)
        {
            return null;
        }

        if (!QueueName.TryParse(stored.DeadLetterTarget, out QueueName? target)
            || stored.MaxReceiveCount is < QueueLimits.MinMaxReceiveCount or > QueueLimits.MaxMaxReceiveCount)
        {
            throw Corrupt($"the redrive policy (target {AttributeValueError.Quote(stored.DeadLetterTarget)}, maxReceiveCount {stored.MaxReceiveCount}) is invalid");
        }

        return new RedrivePolicy(target, stored.MaxReceiveCount);
    }

    private static FifoQueueAttributes? RestoreFifo(QueueMetadataDocument.FifoDocument? stored)
    {
        if (stored is null)
        {
            return null;
        }

        return FifoQueueAttributes.TryParseScope(stored.DeduplicationScope, out DeduplicationScope scope)
            && FifoQueueAttributes.TryParseLimit(stored.FifoThroughputLimit, out FifoThroughputLimit limit)
            ? new FifoQueueAttributes(stored.ContentBasedDeduplication, scope, limit)
            : throw Corrupt($"the FIFO attributes (scope {AttributeValueError.Quote(stored.DeduplicationScope)}, limit {AttributeValueError.Quote(stored.FifoThroughputLimit)}) are invalid");
    }

    private static RedriveAllowPolicy? RestoreRedriveAllowPolicy(QueueMetadataDocument.RedriveAllowPolicyDocument? stored)
    {
        if (stored is null)
        {
            return null;
        }

        List<string> sources = stored.SourceQueues ?? [];
        switch (stored.RedrivePermission)
        {
            case "allowAll" when sources.Count == 0:
                return RedriveAllowPolicy.AllowAll;
            case "denyAll" when sources.Count == 0:
                return RedriveAllowPolicy.DenyAll;
            case "byQueue" when sources.Count is > 0 and <= QueueLimits.MaxRedriveSourceQueues:
                var names = new List<QueueName>(sources.Count);
                foreach (string source in sources)
                {
                    names.Add(QueueName.TryParse(source, out QueueName? name)
                        ? name
                        : throw Corrupt($"the redrive allow policy names {AttributeValueError.Quote(source)}, which is not a valid queue name"));
                }

                return RedriveAllowPolicy.ByQueue(names);
            default:
                throw Corrupt($"the redrive allow policy ({stored.RedrivePermission}, {sources.Count} sources) is invalid");
        }
    }

    private static LogQueueException Corrupt(string reason, Exception? inner = null) =>
        new(ErrorCode.StorageCorrupt, $"Queue metadata ({FileName}): {reason}.", inner);
}
