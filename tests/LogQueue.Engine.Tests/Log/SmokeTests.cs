using System.Text;
using LogQueue.Engine.Log;
using LogQueue.TestSupport;

namespace LogQueue.Engine.Tests.Log;

public class SmokeTests
{
    [Fact]
    public async Task Append_roll_read_reopen()
    {
        using var dir = new TempDirectory();
        var options = new SegmentedLogOptions { SegmentCapacity = 8192, MaxRecordSize = 1024, Durability = DurabilityMode.Always };
        await using (var log = SegmentedLog.Open(dir.Path, options))
        {
            for (int i = 0; i < 200; i++)
            {
                long seq = await log.AppendAsync(new AppendRecord(Encoding.UTF8.GetBytes($"m{i}"), groupId: i % 2 == 0 ? "g" : null));
                Assert.Equal(i, seq);
            }

            Assert.True(log.SegmentCount > 1);
            Assert.True(log.TryRead(150, out StoredRecord? r));
            Assert.Equal("m150", Encoding.UTF8.GetString(r.Body.Span));
        }

        await using (var log = SegmentedLog.Open(dir.Path, options))
        {
            Assert.Equal(200, log.NextSequence);
            Assert.Equal(Enumerable.Range(0, 200).Select(i => $"m{i}"), log.ReadFrom(0).Select(r => Encoding.UTF8.GetString(r.Body.Span)));
            Assert.True(log.RemoveSegmentsBefore(199) > 0);
            Assert.True(log.FirstSequence > 0);
        }
    }
}
