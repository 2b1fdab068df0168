using FsCheck;
using FsCheck.Fluent;
using LogQueue.Engine.Acks;

namespace LogQueue.Engine.Tests.Acks;

public class AckTrackerTests
{
    [Fact]
    public void In_order_deletes_move_the_floor_and_keep_no_pages()
    {
        var tracker = new AckTracker();
        for (long s = 0; s < 100_000; s++)
        {
            Assert.True(tracker.MarkDeleted(s));
        }

        Assert.Equal(100_000, tracker.Floor);
        Assert.Equal(0, tracker.DeletedAboveFloor);
        Assert.True(tracker.PageCount <= 1);
    }

    [Fact]
    public void A_hole_holds_the_floor_until_it_is_filled()
    {
        var tracker = new AckTracker();
        Assert.True(tracker.MarkDeleted(1));
        Assert.True(tracker.MarkDeleted(2));
        Assert.Equal(0, tracker.Floor);
        Assert.Equal(2, tracker.DeletedAboveFloor);
        Assert.False(tracker.MarkDeleted(2));
        Assert.Equal(0, tracker.NextUndeleted(0));
        Assert.Equal(3, tracker.NextUndeleted(1));
        Assert.True(tracker.MarkDeleted(0));
        Assert.Equal(3, tracker.Floor);
        Assert.Equal(0, tracker.DeletedAboveFloor);
        Assert.False(tracker.MarkDeleted(1));
        Assert.True(tracker.IsDeleted(2));
        Assert.False(tracker.IsDeleted(3));
    }

    [Fact]
    public void A_range_from_the_floor_moves_it_in_one_step_and_counts_only_new_deletes()
    {
        var tracker = new AckTracker(10);
        tracker.MarkDeleted(15);
        tracker.MarkDeleted(5_000_000);
        Assert.Equal(10_000 - 10 - 1, tracker.MarkDeleted(0, 10_000));
        Assert.Equal(10_000, tracker.Floor);
        Assert.Equal(1, tracker.DeletedAboveFloor);
        Assert.True(tracker.IsDeleted(5_000_000));
        Assert.Equal(1, tracker.PageCount);
    }

    [Fact]
    public void Deleted_ranges_list_exactly_the_deletes_above_the_floor()
    {
        var tracker = new AckTracker();
        foreach (long s in new long[] { 3, 4, 5, 4095, 4096, 4097, 9000 })
        {
            tracker.MarkDeleted(s);
        }

        Assert.Equal(new (long, long)[] { (3, 6), (4095, 4098), (9000, 9001) }, tracker.DeletedRanges().ToArray());
        Assert.Equal(7, tracker.CountDeleted(0, 10_000));
        Assert.Equal(3, tracker.CountDeleted(4, 4096));
    }

    [Fact]
    public void Random_deletes_match_a_set_model()
    {
        Prop.ForAll(
            Gen.ListOf(Gen.Choose(0, 20_000)).ToArbitrary(),
            values =>
            {
                var tracker = new AckTracker();
                var model = new HashSet<long>();
                foreach (int v in values)
                {
                    bool added = model.Add(v);
                    if (added != tracker.MarkDeleted(v))
                    {
                        return false;
                    }
                }

                long floor = 0;
                while (model.Contains(floor))
                {
                    floor++;
                }

                long above = model.Count(s => s >= floor);
                bool rangesMatch = tracker.DeletedRanges().SelectMany(r => Enumerable.Range((int)r.Start, (int)(r.End - r.Start)).Select(x => (long)x))
                    .SequenceEqual(model.Where(s => s >= floor).Order());
                long next = floor;
                while (model.Contains(next))
                {
                    next++;
                }

                return tracker.Floor == floor
                    && tracker.DeletedAboveFloor == above
                    && tracker.CountDeleted(0, 20_001) == model.Count
                    && tracker.NextUndeleted(0) == next
                    && rangesMatch
                    && Enumerable.Range(0, 20_001).All(s => tracker.IsDeleted(s) == model.Contains(s));
            }).QuickCheckThrowOnFailure();
    }
}
