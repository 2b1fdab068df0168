namespace LogQueue.CrashTests;

/// <summary>How far a helper <c>queue</c> run has got, by the lines it printed. Not thread-safe: its owner locks.</summary>
internal sealed class QueueRunProgress
{
    private readonly Dictionary<int, int> _receivedByCount = [];

    public int Sent { get; private set; }

    public int Received { get; private set; }

    public int Deleted { get; private set; }

    public void Add(QueueLine line)
    {
        switch (line)
        {
            case SentLine:
                Sent++;
                break;
            case ReceivedLine received:
                Received++;
                _receivedByCount[received.ReceiveCount] = _receivedByCount.GetValueOrDefault(received.ReceiveCount) + 1;
                break;
            case DeletedLine:
                Deleted++;
                break;
        }
    }

    /// <summary><c>received</c> lines with a receive count of at least <paramref name="count"/>.</summary>
    public int ReceivedAtLeast(int count) => _receivedByCount.Where(p => p.Key >= count).Sum(p => p.Value);

    public override string ToString() =>
        $"{Sent} sent, {Received} received ({string.Join(", ", _receivedByCount.OrderBy(p => p.Key).Select(p => $"{p.Value} at count {p.Key}"))}), {Deleted} deleted";
}
