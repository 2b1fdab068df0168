using LogQueue.Engine.Log;

namespace LogQueue.Engine.Tests;

/// <summary>
/// These numbers are stored on disk, in configuration or on the wire. Adding a value is fine; changing or
/// reusing one breaks stored data and clients, so each is pinned here.
/// </summary>
public class FrozenEnumValuesTests
{
    [Fact]
    public void Record_flags_are_a_16_bit_field_with_frozen_bits()
    {
        Assert.Equal(typeof(ushort), Enum.GetUnderlyingType(typeof(RecordFlags)));
        Assert.Equal(0, (int)RecordFlags.None);
        Assert.Equal(1, (int)RecordFlags.Compressed);
        Assert.Equal(2, (int)RecordFlags.Encrypted);
        Assert.Equal(4, (int)RecordFlags.Moved);
    }

    [Fact]
    public void Durability_modes_are_frozen()
    {
        Assert.Equal(0, (int)DurabilityMode.Always);
        Assert.Equal(1, (int)DurabilityMode.Interval);
        Assert.Equal(2, (int)DurabilityMode.None);
    }

    [Fact]
    public void Sealed_segment_corruption_policies_are_frozen()
    {
        Assert.Equal(0, (int)SealedSegmentCorruptionPolicy.Fail);
        Assert.Equal(1, (int)SealedSegmentCorruptionPolicy.Truncate);
    }

    // Every code that exists, by name. A new code is added here when it is added to ErrorCode.
    public static TheoryData<string, int> ErrorCodes() => new()
    {
        { "None", 0 },
        { "InternalError", 1 },
        { "InvalidParameterValue", 100 },
        { "MessageTooLong", 101 },
        { "InvalidAttributeName", 102 },
        { "InvalidAttributeValue", 103 },
        { "OverLimit", 104 },
        { "TooManyEntriesInBatchRequest", 105 },
        { "BatchEntryIdsNotDistinct", 106 },
        { "EmptyBatchRequest", 107 },
        { "InvalidBatchEntryId", 108 },
        { "BatchRequestTooLong", 109 },
        { "InvalidMessageContents", 110 },
        { "MissingParameter", 111 },
        { "UnsupportedOperation", 112 },
        { "QueueDoesNotExist", 200 },
        { "QueueNameExists", 201 },
        { "PurgeQueueInProgress", 202 },
        { "ResourceNotFound", 203 },
        { "ReceiptHandleIsInvalid", 300 },
        { "MessageNotInflight", 301 },
        { "Closed", 500 },
        { "StorageCorrupt", 501 },
        { "StorageFailure", 502 },
        { "StorageInUse", 503 },
    };

    [Theory]
    [MemberData(nameof(ErrorCodes))]
    public void Error_codes_are_frozen(string name, int value)
    {
        Assert.True(Enum.TryParse(name, out ErrorCode code), $"ErrorCode.{name} is gone");
        Assert.Equal(value, (int)code);
    }

    [Fact]
    public void No_two_error_codes_share_a_number()
    {
        int[] values = Enum.GetValues<ErrorCode>().Select(code => (int)code).ToArray();
        Assert.Equal(values.Length, values.Distinct().Count());
    }
}
