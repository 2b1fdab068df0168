using System.Runtime.CompilerServices;
using LogQueue.Engine.Queues.Messages;

namespace LogQueue.Engine.Queues.Fairness;

/// <summary>
/// Room for one group id copied out of a record read in place (the view is valid only inside the read), on the
/// stack: what the cursor needs to index a grouped message without an allocation.
/// </summary>
[InlineArray(FifoIdentifier.MaxLength)]
internal struct GroupIdBuffer
{
    private byte _first;
}
