using System.Buffers.Binary;
using LogQueue.Engine.Queues.Messages;
using LogQueue.Engine.Queues.Receipts;
using LogQueue.TestSupport;

namespace LogQueue.Engine.Tests.Queues.Behaviour;

/// <summary>The receipt handle's bytes and MAC as docs/storage.md §16 states them.</summary>
public class ReceiptHandleFormatTests
{
    private static readonly byte[] ReferenceKey = [.. Enumerable.Range(0, 16).Select(i => (byte)i)];

    [Fact]
    public void SipHash_matches_the_reference_vectors()
    {
        ulong k0 = BinaryPrimitives.ReadUInt64LittleEndian(ReferenceKey);
        ulong k1 = BinaryPrimitives.ReadUInt64LittleEndian(ReferenceKey.AsSpan(8));

        Assert.Equal(0x726fdb47dd0e0e31UL, SipHash24.Compute(k0, k1, []));
        Assert.Equal(0xa129ca6149be45e5UL, SipHash24.Compute(k0, k1, ReferenceKey.AsSpan(0, 15)));
        Assert.Equal(0x93f5f5799a932462UL, SipHash24.Compute(k0, k1, ReferenceKey.AsSpan(0, 8)));
    }

    [Fact]
    public void The_documented_example_handle_is_what_the_engine_mints()
    {
        using var directory = new TempDirectory("secret");
        File.WriteAllBytes(Path.Combine(directory.Path, EngineSecret.FileName), new byte[32]);
        EngineSecret secret = EngineSecret.LoadOrCreate(directory.Path);
        var handle = new ReceiptHandle(unchecked((long)0x9f2c4e6a0b1d3f57UL), 5, 1);

        Assert.Equal(DocumentedVersion2Handle, handle.Encode(secret));
        Assert.Equal("AVc_HQtqTiyfBQAAAAAAAAABAAAAoQjXsY2nh-s", handle.EncodeVersion1(secret));
        Assert.True(ReceiptHandle.TryDecode(DocumentedVersion2Handle, secret, out ReceiptHandle decoded));
        Assert.Equal(handle, decoded);
        Assert.True(ReceiptHandle.TryDecode(handle.EncodeVersion1(secret), secret, out decoded));
        Assert.Equal(handle, decoded);
    }

    [Fact]
    public async Task A_version_1_handle_minted_before_an_upgrade_still_deletes()
    {
        await using TestEngine t = await TestEngine.OpenAsync();
        await t.CreateQueueAsync("q");
        await t.SendAsync("q", "m");
        ReceivedMessage message = await t.ReceiveOneAsync("q", visibility: TimeSpan.FromSeconds(1));
        long incarnation = t.Engine.FindQueue("q")!.Incarnation;
        string version1 = new ReceiptHandle(incarnation, message.SequenceNumber, message.ApproximateReceiveCount)
            .EncodeVersion1(EngineSecret.LoadOrCreate(t.DataDirectory));
        Assert.NotEqual(message.ReceiptHandle, version1);

        await t.Engine.DeleteMessageAsync("q", version1);
        t.AdvanceSeconds(1);
        Assert.Empty(await t.ReceiveAsync("q"));
    }

    private const string DocumentedVersion2Handle = "Alc_HQtqTiyfBQAAAAAAAAABAAAAaLW5Xd0-y8Q";
}
