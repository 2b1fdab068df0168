using System.Text;
using System.Text.Json;

namespace LogQueue.Engine.Queues;

/// <summary>
/// Which queues may use this queue as their dead-letter queue (SQS <c>RedriveAllowPolicy</c>), in SQS form
/// <c>{"redrivePermission":"allowAll"|"denyAll"|"byQueue","sourceQueueArns":[...]}</c>. <c>byQueue</c> lists
/// 1 to 10 source queues (ARNs or plain names, kept as names, sorted, without repeats); the other permissions
/// list none.
/// </summary>
public sealed class RedriveAllowPolicy : IEquatable<RedriveAllowPolicy>
{
    private const string PermissionKey = "redrivePermission";
    private const string SourcesKey = "sourceQueueArns";
    private const string AllowAllValue = "allowAll";
    private const string DenyAllValue = "denyAll";
    private const string ByQueueValue = "byQueue";

    private RedriveAllowPolicy(RedrivePermission permission, QueueName[] sourceQueues)
    {
        Permission = permission;
        SourceQueues = sourceQueues;
    }

    /// <summary>Any queue may use this one as its dead-letter queue.</summary>
    public static RedriveAllowPolicy AllowAll { get; } = new(RedrivePermission.AllowAll, []);

    /// <summary>No queue may use this one as its dead-letter queue.</summary>
    public static RedriveAllowPolicy DenyAll { get; } = new(RedrivePermission.DenyAll, []);

    /// <summary>The permission.</summary>
    public RedrivePermission Permission { get; }

    /// <summary>For <see cref="RedrivePermission.ByQueue"/>: the allowed source queues, in ordinal order; else empty.</summary>
    public IReadOnlyList<QueueName> SourceQueues { get; }

    /// <summary>A <c>byQueue</c> policy allowing exactly <paramref name="sourceQueues"/> (1 to 10; repeats collapse).</summary>
    /// <exception cref="LogQueueException"><see cref="ErrorCode.InvalidAttributeValue"/> for no sources or more than 10.</exception>
    public static RedriveAllowPolicy ByQueue(IEnumerable<QueueName> sourceQueues)
    {
        ArgumentNullException.ThrowIfNull(sourceQueues);
        QueueName[] given = [.. sourceQueues];
        if (given.Length is 0 or > QueueLimits.MaxRedriveSourceQueues)
        {
            throw AttributeValueError.Create(
                QueueAttributeNames.RedriveAllowPolicy,
                string.Join(',', given.Select(q => q.Value)),
                $"{ByQueueValue} needs 1 to {QueueLimits.MaxRedriveSourceQueues} source queues; {given.Length} were given");
        }

        return new RedriveAllowPolicy(RedrivePermission.ByQueue, Normalize(given));
    }

    /// <summary>Whether <paramref name="sourceQueue"/> may move its dead letters into this queue.</summary>
    public bool Allows(QueueName sourceQueue)
    {
        ArgumentNullException.ThrowIfNull(sourceQueue);
        return Permission switch
        {
            RedrivePermission.AllowAll => true,
            RedrivePermission.DenyAll => false,
            _ => SourceQueues.Contains(sourceQueue),
        };
    }

    /// <summary>Reads the SQS string form; an empty string means "no policy" (which allows all) and gives null.</summary>
    /// <exception cref="LogQueueException"><see cref="ErrorCode.InvalidAttributeValue"/> naming what is wrong.</exception>
    public static RedriveAllowPolicy? Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0)
        {
            return null;
        }

        var json = new PolicyJson(QueueAttributeNames.RedriveAllowPolicy, value);
        using JsonDocument document = json.ParseObject();
        string? permission = null;
        List<QueueName>? sources = null;
        foreach (JsonProperty property in document.RootElement.EnumerateObject())
        {
            switch (property.Name)
            {
                case PermissionKey:
                    json.EnsureFirst(permission is not null, PermissionKey);
                    permission = json.GetString(property);
                    break;
                case SourcesKey:
                    json.EnsureFirst(sources is not null, SourcesKey);
                    sources = ReadSources(json, property);
                    break;
                default:
                    throw json.UnknownKey(property.Name, $"\"{PermissionKey}\" and \"{SourcesKey}\"");
            }
        }

        switch (permission)
        {
            case null:
                throw json.MissingKey(PermissionKey);
            case AllowAllValue or DenyAllValue:
                if (sources is { Count: > 0 })
                {
                    throw json.Fail($"\"{SourcesKey}\" may list queues only when \"{PermissionKey}\" is \"{ByQueueValue}\"");
                }

                return permission == AllowAllValue ? AllowAll : DenyAll;
            case ByQueueValue:
                if (sources is null or { Count: 0 } or { Count: > QueueLimits.MaxRedriveSourceQueues })
                {
                    throw json.Fail($"\"{ByQueueValue}\" needs \"{SourcesKey}\" with 1 to {QueueLimits.MaxRedriveSourceQueues} queues; {sources?.Count ?? 0} were given");
                }

                return new RedriveAllowPolicy(RedrivePermission.ByQueue, Normalize(sources));
            default:
                throw json.Fail($"\"{PermissionKey}\" must be \"{AllowAllValue}\", \"{DenyAllValue}\" or \"{ByQueueValue}\"; it is \"{permission}\"");
        }
    }

    /// <summary>The SQS string form, compact JSON with sources as LogQueue ARNs.</summary>
    public string ToJson()
    {
        string permission = Permission switch
        {
            RedrivePermission.AllowAll => AllowAllValue,
            RedrivePermission.DenyAll => DenyAllValue,
            _ => ByQueueValue,
        };
        var json = new StringBuilder(64 + (SourceQueues.Count * 120));
        json.Append("{\"").Append(PermissionKey).Append("\":\"").Append(permission).Append('"');
        if (Permission == RedrivePermission.ByQueue)
        {
            json.Append(",\"").Append(SourcesKey).Append("\":[");
            for (int i = 0; i < SourceQueues.Count; i++)
            {
                // Queue names hold only A-Z a-z 0-9 - _ . so an ARN needs no JSON escaping.
                json.Append(i == 0 ? "\"" : ",\"").Append(QueueArn.Format(SourceQueues[i])).Append('"');
            }

            json.Append(']');
        }

        return json.Append('}').ToString();
    }

    /// <inheritdoc />
    public bool Equals(RedriveAllowPolicy? other) =>
        other is not null && Permission == other.Permission && SourceQueues.SequenceEqual(other.SourceQueues);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as RedriveAllowPolicy);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Permission);
        foreach (QueueName source in SourceQueues)
        {
            hash.Add(source);
        }

        return hash.ToHashCode();
    }

    /// <summary>The SQS string form.</summary>
    public override string ToString() => ToJson();

    /// <summary>Sorted and without repeats, so equal sets compare equal and render alike.</summary>
    internal static QueueName[] Normalize(IEnumerable<QueueName> sources)
    {
        List<QueueName> list = [.. sources.Distinct()];
        list.Sort(QueueName.CompareOrdinal);
        return [.. list];
    }

    private static List<QueueName> ReadSources(PolicyJson json, JsonProperty property)
    {
        if (property.Value.ValueKind != JsonValueKind.Array)
        {
            throw json.Fail($"\"{SourcesKey}\" must be an array of queue ARNs");
        }

        var sources = new List<QueueName>();
        foreach (JsonElement element in property.Value.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.String)
            {
                throw json.Fail($"\"{SourcesKey}\" must hold only strings (queue ARNs)");
            }

            if (!QueueArn.TryParseNameOrArn(element.GetString(), out QueueName? name, out string? reason))
            {
                throw json.Fail($"\"{SourcesKey}\": {reason}");
            }

            sources.Add(name);
        }

        return sources;
    }
}
