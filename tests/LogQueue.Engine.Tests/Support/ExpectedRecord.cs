using System.Text;
using LogQueue.Engine.Log;

namespace LogQueue.Engine.Tests.Support;

/// <summary>What a test appended, kept aside to compare with what the log returns byte for byte.</summary>
internal sealed record ExpectedRecord(
    long Timestamp,
    uint DelayMilliseconds,
    RecordFlags Flags,
    string? GroupId,
    string? DeduplicationId,
    byte[] Attributes,
    byte[] Body)
{
    /// <summary>Body, attributes and ids: what counts against MaxRecordSize.</summary>
    public int PayloadSize =>
        Body.Length + Attributes.Length + Utf8Length(GroupId) + Utf8Length(DeduplicationId);

    /// <summary>The record to append. With <paramref name="useLogClock"/> the timestamp is left to the log (0).</summary>
    public AppendRecord ToAppendRecord(bool useLogClock = false) =>
        new(Body, Attributes, GroupId, DeduplicationId, useLogClock ? 0 : Timestamp, DelayMilliseconds, Flags);

    /// <summary>Null when <paramref name="actual"/> is this record at <paramref name="sequence"/>, else what differs.</summary>
    public string? Difference(long sequence, StoredRecord actual)
    {
        var problems = new List<string>();
        if (actual.Sequence != sequence)
        {
            problems.Add($"sequence {actual.Sequence}");
        }

        if (actual.Timestamp != Timestamp)
        {
            problems.Add($"timestamp {actual.Timestamp} (expected {Timestamp})");
        }

        if (actual.DelayMilliseconds != DelayMilliseconds)
        {
            problems.Add($"delay {actual.DelayMilliseconds} (expected {DelayMilliseconds})");
        }

        if (actual.Flags != Flags)
        {
            problems.Add($"flags {actual.Flags} (expected {Flags})");
        }

        if (actual.GroupId != GroupId)
        {
            problems.Add($"group id '{actual.GroupId}' (expected '{GroupId}')");
        }

        if (actual.DeduplicationId != DeduplicationId)
        {
            problems.Add($"deduplication id '{actual.DeduplicationId}' (expected '{DeduplicationId}')");
        }

        if (!actual.Attributes.Span.SequenceEqual(Attributes))
        {
            problems.Add($"attributes of {actual.Attributes.Length} bytes differ (expected {Attributes.Length})");
        }

        if (!actual.Body.Span.SequenceEqual(Body))
        {
            problems.Add($"body of {actual.Body.Length} bytes differs (expected {Body.Length})");
        }

        return problems.Count == 0 ? null : $"record {sequence}: " + string.Join(", ", problems);
    }

    /// <summary>Fails the test unless <paramref name="actual"/> is this record at <paramref name="sequence"/>.</summary>
    public void AssertMatches(long sequence, StoredRecord? actual, string context = "")
    {
        Assert.True(actual is not null, $"{context} record {sequence} was not found");
        string? difference = Difference(sequence, actual);
        Assert.True(difference is null, $"{context} {difference}");
    }

    private static int Utf8Length(string? id) => id is null ? 0 : Encoding.UTF8.GetByteCount(id);
}
