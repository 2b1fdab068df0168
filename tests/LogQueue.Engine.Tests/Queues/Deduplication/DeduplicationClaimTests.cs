using LogQueue.Engine.Log;
using LogQueue.Engine.Queues;
using LogQueue.Engine.Queues.Deduplication;
using LogQueue.TestSupport;

namespace LogQueue.Engine.Tests.Queues.Deduplication;

/// <summary>The claim protocol of <see cref="DeduplicationWindow"/>, driven directly over a log.</summary>
public class DeduplicationClaimTests
{
    [Theory]
    [InlineData(10)]
    [InlineData(100)]
    [InlineData(1000)] // past the stack table: the repeats are found in pooled arrays
    public async Task A_batch_claims_each_new_key_once_and_points_repeats_at_their_first_entry(int size)
    {
        await using var f = new WindowOverLog();
        // Every third entry repeats the id of the entry before it, every seventh the id of entry 0.
        string[] ids = [.. Enumerable.Range(0, size).Select(i => i % 7 == 6 ? "d0" : i % 3 == 2 ? $"d{i - 1}" : $"d{i}")];
        DeduplicationKey[] keys = [.. ids.Select(f.Key)];
        var claims = new DeduplicationClaim[size];

        Assert.Null(f.Window.ClaimBatch(keys, claims));

        for (int k = 0; k < size; k++)
        {
            int first = Array.IndexOf(ids, ids[k]);
            if (first == k)
            {
                Assert.True(claims[k].IsOwner, $"entry {k}");
            }
            else
            {
                Assert.Equal(first, claims[k].EarlierEntry);
            }
        }
    }

    [Fact]
    public async Task A_released_key_goes_to_the_send_that_waited_for_it()
    {
        await using var f = new WindowOverLog();
        DeduplicationKey first = f.Key("d1");
        DeduplicationKey second = f.Key("d1");
        Assert.True(f.Window.Claim(ref first).IsOwner);
        DeduplicationClaim waiting = f.Window.Claim(ref second);
        Assert.NotNull(waiting.Pending);
        Assert.False(waiting.Pending.IsCompleted);

        // The first append failed (an error, or a cancelled wait for a segment): the key is free again.
        f.Window.Release([first]);

        Assert.True(waiting.Pending.IsCompleted);
        Assert.True(f.Window.Claim(ref second).IsOwner);
        Assert.Equal(0, f.Window.Count);
    }

    [Fact]
    public async Task A_committed_key_makes_the_waiting_send_a_duplicate()
    {
        await using var f = new WindowOverLog();
        DeduplicationKey first = f.Key("d1");
        DeduplicationKey second = f.Key("d1");
        Assert.True(f.Window.Claim(ref first).IsOwner);
        Task pending = f.Window.Claim(ref second).Pending!;

        long sequence = f.Append("d1");
        f.Window.Commit([first], sequence);

        Assert.True(pending.IsCompleted);
        DeduplicationClaim again = f.Window.Claim(ref second);
        Assert.True(again.IsDuplicate);
        Assert.Equal(sequence, again.Sequence);
        Assert.Equal(1, f.Window.Count);
    }

    [Fact]
    public async Task Releasing_one_key_leaves_other_claims_alone()
    {
        await using var f = new WindowOverLog();
        DeduplicationKey a = f.Key("a");
        DeduplicationKey b = f.Key("b");
        Assert.True(f.Window.Claim(ref a).IsOwner);
        Assert.True(f.Window.Claim(ref b).IsOwner);

        f.Window.Release([a]);

        DeduplicationKey b2 = f.Key("b");
        Assert.NotNull(f.Window.Claim(ref b2).Pending);
        DeduplicationKey a2 = f.Key("a");
        Assert.True(f.Window.Claim(ref a2).IsOwner);
    }

    [Fact]
    public async Task A_batch_waits_without_claiming_when_one_of_its_keys_is_held()
    {
        await using var f = new WindowOverLog();
        DeduplicationKey held = f.Key("held");
        Assert.True(f.Window.Claim(ref held).IsOwner);

        DeduplicationKey[] keys = [f.Key("free"), f.Key("held")];
        var claims = new DeduplicationClaim[2];
        Task? wait = f.Window.ClaimBatch(keys, claims);

        Assert.NotNull(wait);
        DeduplicationKey free = f.Key("free");
        Assert.True(f.Window.Claim(ref free).IsOwner);
    }

    [Fact]
    public async Task A_hash_hit_whose_record_holds_another_id_is_not_a_duplicate()
    {
        await using var f = new WindowOverLog();
        // Commit "a" at the sequence of a record that holds "b": as if "a" and "b" had one hash. The record decides.
        DeduplicationKey a = f.Key("a");
        Assert.True(f.Window.Claim(ref a).IsOwner);
        f.Window.Commit([a], f.Append("b"));

        DeduplicationKey again = f.Key("a");
        Assert.True(f.Window.Claim(ref again).IsOwner);
    }

    /// <summary>A window over a fresh log on a manual clock.</summary>
    private sealed class WindowOverLog : IAsyncDisposable
    {
        private readonly TempDirectory _directory = new("dedup");
        private readonly SegmentedLog _log;

        public WindowOverLog()
        {
            var clock = new ManualTimeProvider();
            _log = SegmentedLog.Open(_directory.Path, new SegmentedLogOptions { Durability = DurabilityMode.None, MaxRecordSize = 4096, SegmentCapacity = 1 << 16 }, timeProvider: clock);
            Window = DeduplicationWindow.Open(_log, () => DeduplicationScope.Queue, clock);
        }

        public DeduplicationWindow Window { get; }

        public DeduplicationKey Key(string id) => Window.KeyFor(DeduplicationScope.Queue, "g", id);

        public long Append(string deduplicationId)
        {
            Assert.True(_log.TryAppend(new AppendRecord("body"u8.ToArray(), groupId: "g", deduplicationId: deduplicationId), out long sequence));
            return sequence;
        }

        public async ValueTask DisposeAsync()
        {
            await _log.DisposeAsync();
            _directory.Dispose();
        }
    }
}
