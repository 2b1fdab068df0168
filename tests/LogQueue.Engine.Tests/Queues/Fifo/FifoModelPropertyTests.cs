using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using LogQueue.Engine.Queues.Messages;
using LogQueue.Engine.Tests.Queues.Behaviour;

namespace LogQueue.Engine.Tests.Queues.Fifo;

/// <summary>
/// A FIFO queue against a model over random histories of sends, receives, deletes, visibility expiries and
/// reopens. The model knows each group's undeleted messages in send order and which groups are held; every
/// receive must return, per group, a prefix of that group's messages from a group nobody holds, and may come
/// back short only when no other group was ready.
/// </summary>
public class FifoModelPropertyTests
{
    public enum OpKind
    {
        Send,
        Receive,
        Delete,
        Expire,
        Reopen,
    }

    public readonly record struct Op(OpKind Kind, int Value = 0)
    {
        public override string ToString() => $"{Kind}{Value}";
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Receives_follow_the_group_model_across_random_histories(bool highThroughput)
    {
        Gen<Op> op = Gen.Frequency(
            (6, Gen.Choose(0, 3).Select(g => new Op(OpKind.Send, g))),
            (5, Gen.Choose(1, 4).Select(n => new Op(OpKind.Receive, n))),
            (4, Gen.Choose(0, 100).Select(i => new Op(OpKind.Delete, i))),
            (1, Gen.Constant(new Op(OpKind.Expire))),
            (1, Gen.Constant(new Op(OpKind.Reopen))));
        Arbitrary<Op[]> histories = Arb.From(op.ArrayOf(), Shrink);

        Property property = Prop.ForAll(histories, (Op[] history) => RunAsync(history, highThroughput));

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(40).WithEndSize(60), property);
    }

    private static IEnumerable<Op[]> Shrink(Op[] history)
    {
        for (int i = 0; i < history.Length; i++)
        {
            yield return [.. history[..i], .. history[(i + 1)..]];
        }
    }

    private static async Task RunAsync(Op[] history, bool highThroughput)
    {
        await using TestEngine t = await TestEngine.OpenAsync(Engine.Log.DurabilityMode.None);
        await t.CreateFifoAsync("q.fifo", highThroughput);
        var waiting = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var held = new List<ReceivedMessage>();
        int next = 0;
        foreach (Op step in history)
        {
            switch (step.Kind)
            {
                case OpKind.Send:
                    string group = "g" + step.Value.ToString(CultureInfo.InvariantCulture);
                    string body = (next++).ToString(CultureInfo.InvariantCulture);
                    await t.SendToGroupAsync("q.fifo", group, body);
                    if (!waiting.TryGetValue(group, out List<string>? list))
                    {
                        waiting[group] = list = [];
                    }

                    list.Add(body);
                    break;

                case OpKind.Receive:
                    IReadOnlyList<ReceivedMessage> got = await t.ReceiveAsync("q.fifo", step.Value, TimeSpan.FromSeconds(10));
                    CheckReceive(got, step.Value, waiting, held);
                    held.AddRange(got);
                    break;

                case OpKind.Delete when held.Count > 0:
                    ReceivedMessage message = held[step.Value % held.Count];
                    await t.DeleteAsync("q.fifo", message);
                    held.Remove(message);
                    waiting[message.MessageGroupId!].Remove(TestEngine.Body(message));
                    break;

                case OpKind.Expire:
                    t.AdvanceSeconds(10);
                    held.Clear();
                    break;

                case OpKind.Reopen:
                    await t.ReopenAsync();
                    held.Clear();
                    break;
            }
        }

        int stored = waiting.Values.Sum(l => l.Count);
        Assert.Equal((stored - held.Count, held.Count, 0), t.Counts("q.fifo"));
    }

    private static void CheckReceive(IReadOnlyList<ReceivedMessage> got, int max, Dictionary<string, List<string>> waiting, List<ReceivedMessage> held)
    {
        Assert.True(got.Count <= max);
        var heldGroups = held.Select(m => m.MessageGroupId!).ToHashSet(StringComparer.Ordinal);
        var takenGroups = new HashSet<string>(StringComparer.Ordinal);
        foreach (IGrouping<string, ReceivedMessage> group in got.GroupBy(m => m.MessageGroupId!))
        {
            Assert.DoesNotContain(group.Key, heldGroups);
            takenGroups.Add(group.Key);
            List<string> bodies = waiting[group.Key];
            Assert.Equal(bodies.Take(group.Count()), group.Select(TestEngine.Body));
            if (got.Count < max)
            {
                Assert.Equal(bodies.Count, group.Count()); // Short: the group gave all it had.
            }
        }

        if (got.Count < max)
        {
            // Short: no other group was ready.
            Assert.All(
                waiting.Where(g => g.Value.Count > 0 && !heldGroups.Contains(g.Key) && !takenGroups.Contains(g.Key)),
                g => Assert.Fail($"group {g.Key} was ready but not taken"));
        }
    }
}
