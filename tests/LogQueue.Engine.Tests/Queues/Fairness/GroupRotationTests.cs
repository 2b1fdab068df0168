using System.Text;
using LogQueue.Engine.Queues.Fairness;

namespace LogQueue.Engine.Tests.Queues.Fairness;

public class GroupRotationTests
{
    private static ReadOnlySpan<byte> Id(string group) => Encoding.ASCII.GetBytes(group);

    // Runs the turns until every lane is empty; the log's turns give nothing here.
    private static List<(string Group, long Sequence)> Drain(GroupRotation rotation)
    {
        var served = new List<(string, long)>();
        while (!rotation.IsEmpty)
        {
            GroupLane? lane = rotation.BeginTurn();
            if (lane is not null)
            {
                served.Add((lane.GroupId, rotation.Take(lane)));
            }

            rotation.EndTurn(lane);
        }

        return served;
    }

    [Fact]
    public void Groups_take_one_message_per_turn_in_the_order_they_were_first_met()
    {
        var rotation = new GroupRotation();
        for (long s = 0; s < 4; s++)
        {
            rotation.Append(Id("A"), s);
        }

        rotation.Append(Id("B"), 4);
        rotation.Append(Id("C"), 5);
        rotation.Append(Id("B"), 6);

        Assert.Equal(
            [("A", 0L), ("B", 4L), ("C", 5L), ("A", 1L), ("B", 6L), ("A", 2L), ("A", 3L)],
            Drain(rotation));
        Assert.Equal(0, rotation.RunCount);
    }

    [Fact]
    public void A_groups_consecutive_messages_are_one_run_and_a_gap_starts_another()
    {
        var rotation = new GroupRotation();
        for (long s = 0; s < 1_000_000; s++)
        {
            rotation.Append(Id("noisy"), s);
        }

        Assert.Equal(1, rotation.RunCount);
        rotation.Append(Id("quiet"), 1_000_000);
        rotation.Append(Id("noisy"), 1_000_001);
        Assert.Equal(3, rotation.RunCount);
        Assert.Equal(2, rotation.GroupCount);
    }

    [Fact]
    public void The_index_is_full_at_its_bound_of_runs_and_frees_runs_as_they_are_served()
    {
        var rotation = new GroupRotation(maxRuns: 4);
        for (long s = 0; s < 8; s += 2)
        {
            rotation.Append(Id("A"), s); // Every other sequence: a run each.
        }

        Assert.True(rotation.IsFull);
        GroupLane? log = rotation.BeginTurn();
        Assert.Null(log);
        rotation.EndTurn(log);
        GroupLane lane = rotation.BeginTurn()!;
        Assert.Equal(0, rotation.Take(lane));
        rotation.EndTurn(lane);
        Assert.False(rotation.IsFull);
    }

    [Fact]
    public void A_message_visible_again_is_its_groups_next_one()
    {
        var rotation = new GroupRotation();
        rotation.Append(Id("A"), 10);
        rotation.Append(Id("A"), 11);
        rotation.Prepend(Id("A"), 3);

        Assert.Equal([("A", 3L), ("A", 10L), ("A", 11L)], Drain(rotation));
    }

    [Fact]
    public void A_lane_ring_grows_and_wraps_without_losing_order()
    {
        var rotation = new GroupRotation();
        var expected = new List<(string, long)>();
        for (long s = 100; s < 200; s += 2)
        {
            rotation.Append(Id("A"), s);
            expected.Add(("A", s));
        }

        for (long s = 9; s >= 0; s--)
        {
            rotation.Prepend(Id("A"), s);
            expected.Insert(0, ("A", s));
        }

        Assert.Equal(expected, Drain(rotation));
    }

    [Fact]
    public void Clear_forgets_every_lane_and_keeps_the_logs_turn()
    {
        var rotation = new GroupRotation();
        rotation.Append(Id("A"), 0);
        rotation.Append(Id("B"), 1);
        rotation.Clear();

        Assert.True(rotation.IsEmpty);
        Assert.Equal(0, rotation.RunCount);
        GroupLane? turn = rotation.BeginTurn();
        Assert.Null(turn);
        rotation.EndTurn(turn);
        rotation.Append(Id("A"), 5);
        Assert.Equal([("A", 5L)], Drain(rotation));
    }

    [Fact]
    public void A_group_that_empties_and_comes_back_rejoins_at_the_back_of_the_rotation()
    {
        var rotation = new GroupRotation();
        rotation.Append(Id("A"), 0);
        rotation.Append(Id("B"), 1);
        rotation.Append(Id("B"), 3);
        Assert.Equal(2, rotation.GroupCount);

        // A's turn empties it (its lane is kept idle); it comes back while B still waits: B goes first.
        GroupLane? turn = rotation.BeginTurn();
        Assert.Null(turn);
        rotation.EndTurn(turn);
        GroupLane a = rotation.BeginTurn()!;
        Assert.Equal(0, rotation.Take(a));
        rotation.EndTurn(a);
        Assert.Equal(1, rotation.GroupCount);
        rotation.Append(Id("A"), 4);

        Assert.Equal([("B", 1L), ("A", 4L), ("B", 3L)], Drain(rotation));
        Assert.True(rotation.IsEmpty);
    }

    [Fact]
    public void Messages_visible_again_together_come_out_lowest_first_and_consecutive_ones_share_a_run()
    {
        var rotation = new GroupRotation();
        rotation.Append(Id("A"), 100);
        rotation.Append(Id("B"), 101);
        foreach (long s in new long[] { 3, 4, 5, 7, 8 })
        {
            rotation.SetAsideVisibleAgain(Id("A"), s); // Lowest first, as the heap of messages visible again gives them.
        }

        rotation.SetAsideVisibleAgain(Id("C"), 6);
        rotation.PrependVisibleAgain();

        Assert.Equal(2 + 1 + 2, rotation.RunCount); // A: 3..5, 7..8, 100; B: 101; C: 6.
        Assert.Equal(3, rotation.GroupCount);
        List<(string Group, long Sequence)> served = Drain(rotation);
        Assert.Equal([3L, 4, 5, 7, 8, 100], served.Where(m => m.Group == "A").Select(m => m.Sequence));
        Assert.Equal(("C", 6L), served.Single(m => m.Group == "C"));
        Assert.Equal(0, rotation.RunCount);
    }

    [Fact]
    public void Runs_of_messages_visible_again_do_not_count_against_the_bound_of_the_index()
    {
        // The bound is for what the cursor indexes: a busy group's timed-out messages, one run each, must not
        // stop the cursor from finding other groups.
        var rotation = new GroupRotation(maxRuns: 4);
        for (long s = 0; s < 20; s += 2)
        {
            rotation.SetAsideVisibleAgain(Id("N"), s);
        }

        rotation.PrependVisibleAgain();
        Assert.Equal(10, rotation.RunCount);
        Assert.False(rotation.IsFull);

        rotation.Append(Id("Q"), 100);
        rotation.Append(Id("N"), 101);
        rotation.Append(Id("N"), 103);
        rotation.Append(Id("N"), 105);
        Assert.True(rotation.IsFull);

        // Serving N's ten messages visible again frees none of the cursor's runs; its first own one does.
        List<(string Group, long Sequence)> served = Drain(rotation);
        Assert.Equal([0L, 2, 4, 6, 8, 10, 12, 14, 16, 18, 101, 103, 105], served.Where(m => m.Group == "N").Select(m => m.Sequence));
        Assert.Equal(0, rotation.RunCount);
        Assert.False(rotation.IsFull);
    }

    [Fact]
    public void The_index_stays_bounded_after_visible_again_runs_were_served()
    {
        var rotation = new GroupRotation(maxRuns: 2);
        rotation.Prepend(Id("A"), 0);
        rotation.Append(Id("A"), 10);
        rotation.Append(Id("A"), 12);
        Assert.True(rotation.IsFull);

        GroupLane? log = rotation.BeginTurn();
        rotation.EndTurn(log);
        GroupLane a = rotation.BeginTurn()!;
        Assert.Equal(0, rotation.Take(a)); // The visible-again run: the cursor's two are still there.
        rotation.EndTurn(a);
        Assert.True(rotation.IsFull);
    }

    [Fact]
    public void A_log_turn_that_ran_before_any_lane_goes_behind_the_lanes_it_made()
    {
        var rotation = new GroupRotation();
        rotation.Append(Id("A"), 0);
        rotation.Append(Id("B"), 1);
        rotation.EndLoneLogTurn();

        Assert.Equal("A", rotation.BeginTurn()?.GroupId);
    }

    [Fact]
    public void A_lane_that_grew_large_goes_back_to_a_small_buffer_when_it_empties()
    {
        var rotation = new GroupRotation();
        for (long s = 0; s < 20_000; s += 2)
        {
            rotation.Append(Id("A"), s); // A run each: the ring grows to 16,384 runs.
        }

        GroupLane? log = rotation.BeginTurn();
        rotation.EndTurn(log);
        GroupLane a = rotation.BeginTurn()!;
        Assert.True(a.Capacity >= 10_000);
        while (!a.IsEmpty)
        {
            rotation.Take(a);
        }

        rotation.EndTurn(a);
        Assert.True(a.Capacity <= 256, $"an idle lane keeps room for {a.Capacity} runs");

        // Kept for reuse, it still works.
        rotation.Append(Id("A"), 30_000);
        Assert.Equal([("A", 30_000L)], Drain(rotation));
    }
}
