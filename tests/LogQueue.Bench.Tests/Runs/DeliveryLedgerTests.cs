using LogQueue.Bench.Load.Runs;

namespace LogQueue.Bench.Tests.Runs;

public class DeliveryLedgerTests
{
    [Fact]
    public void Tells_missing_duplicate_and_unacknowledged_messages_apart()
    {
        var ledger = new DeliveryLedger(producers: 2);
        for (long i = 0; i < 10; i++)
        {
            ledger.Acknowledged(0, i);
            ledger.Acknowledged(1, i);
        }

        for (long i = 0; i < 8; i++)
        {
            Assert.True(ledger.Received(0, i));
        }

        for (long i = 0; i < 10; i++)
        {
            Assert.True(ledger.Received(1, i));
        }

        Assert.False(ledger.Received(0, 3)); // a redelivery
        Assert.False(ledger.Received(1, 9));
        Assert.False(ledger.Received(1, 9));
        Assert.True(ledger.Received(1, 42)); // its send reported a failure, but it took effect

        Assert.Equal(2, ledger.Missing());
        Assert.Equal(3, ledger.Duplicates);
        Assert.Equal(1, ledger.ReceivedUnacknowledged());
        Assert.Equal(20, ledger.AcknowledgedCount());
        Assert.Equal(19, ledger.ReceivedCount());
        Assert.Equal(["0/8", "0/9"], ledger.SampleMissing(10));
        Assert.Equal(["0/8"], ledger.SampleMissing(1));
        Assert.Empty(ledger.SampleMissing(0));
    }

    [Fact]
    public void Samples_missing_messages_across_producers_up_to_the_limit()
    {
        var ledger = new DeliveryLedger(producers: 3);
        ledger.Acknowledged(0, 1);
        ledger.Acknowledged(1, 5);
        ledger.Acknowledged(1, 6);
        ledger.Acknowledged(2, 0);

        Assert.Equal(["0/1", "1/5", "1/6", "2/0"], ledger.SampleMissing(10));
        Assert.Equal(["0/1", "1/5", "1/6"], ledger.SampleMissing(3));
        Assert.Equal(4, ledger.Missing());
    }

    [Fact]
    public void A_fresh_ledger_has_nothing_missing()
    {
        var ledger = new DeliveryLedger(producers: 4);
        Assert.Equal(0, ledger.Missing());
        Assert.Equal(0, ledger.Duplicates);
        Assert.Equal(0, ledger.ReceivedUnacknowledged());
        Assert.Empty(ledger.SampleMissing(10));
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(2, true)]
    [InlineData(3, false)]
    [InlineData(-1, false)]
    [InlineData(int.MaxValue, false)]
    [InlineData(int.MinValue, false)]
    public void Knows_only_its_own_producers(int producer, bool known) =>
        Assert.Equal(known, new DeliveryLedger(producers: 3).Knows(producer));

    [Fact]
    public void Concurrent_receipts_count_duplicates_exactly()
    {
        // Four consumers each receive every message of two producers once: three of every four receipts are duplicates.
        const int consumers = 4;
        const int perProducer = 50_000;
        var ledger = new DeliveryLedger(producers: 2);
        for (long i = 0; i < perProducer; i++)
        {
            ledger.Acknowledged(0, i);
            ledger.Acknowledged(1, i);
        }

        long[] first = new long[consumers];
        using var start = new Barrier(consumers);
        Thread[] threads = Enumerable.Range(0, consumers).Select(c => new Thread(() =>
        {
            start.SignalAndWait();
            for (long i = 0; i < perProducer; i++)
            {
                // Each consumer walks in its own order, so they collide all along the way.
                long counter = c % 2 == 0 ? i : perProducer - 1 - i;
                for (int producer = 0; producer < 2; producer++)
                {
                    if (ledger.Received(producer, counter))
                    {
                        first[c]++;
                    }
                }
            }
        })).ToArray();
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        Assert.Equal(2 * perProducer, first.Sum());
        Assert.Equal((consumers - 1) * 2L * perProducer, ledger.Duplicates);
        Assert.Equal(0, ledger.Missing());
        Assert.Equal(0, ledger.ReceivedUnacknowledged());
    }
}
