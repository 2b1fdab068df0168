using System.Globalization;
using LogQueue.Engine;
using LogQueue.Engine.Queues;
using LogQueue.Protocol.Operations;
using LogQueue.Server.Hosting;

namespace LogQueue.Server.Dispatch;

internal sealed partial class RequestDispatcher
{
    private static readonly string[] CountAttributes =
    [
        QueueAttributeNames.ApproximateNumberOfMessages,
        QueueAttributeNames.ApproximateNumberOfMessagesNotVisible,
        QueueAttributeNames.ApproximateNumberOfMessagesDelayed,
    ];

    private StatsResponse Stats()
    {
        var queues = new List<QueueStats>();
        foreach (string name in Engine.ListQueues())
        {
            IReadOnlyDictionary<string, string> counts;
            try
            {
                counts = Engine.GetQueueAttributes(name, CountAttributes);
            }
            catch (LogQueueException ex) when (ex.Code == ErrorCode.QueueDoesNotExist)
            {
                continue; // deleted since it was listed
            }

            queues.Add(new QueueStats(
                name,
                Count(counts, QueueAttributeNames.ApproximateNumberOfMessages),
                Count(counts, QueueAttributeNames.ApproximateNumberOfMessagesNotVisible),
                Count(counts, QueueAttributeNames.ApproximateNumberOfMessagesDelayed)));
        }

        return new StatsResponse(
            ServerVersion.Current,
            (long)_connections.Uptime.TotalMilliseconds,
            _connections.Open,
            _connections.Accepted,
            _connections.RequestsServed,
            _durability,
            queues);
    }

    private static long Count(IReadOnlyDictionary<string, string> attributes, string name) =>
        attributes.TryGetValue(name, out string? text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) ? value : 0;

    private ListQueuesResponse ListQueues(ListQueuesRequest request) => new(Engine.ListQueues(request.Prefix));

    // The protocol's "empty list: every attribute" (docs/protocol.md) is the engine's null; an empty selection
    // handed to the engine would select nothing.
    private QueueAttributesResponse GetQueueAttributes(GetQueueAttributesRequest request) =>
        new(Engine.GetQueueAttributes(request.QueueName, request.AttributeNames.Count > 0 ? request.AttributeNames : null));

    private async Task<CreateQueueResponse> CreateQueueAsync(CreateQueueRequest request) =>
        new(await Engine.CreateQueueAsync(request.QueueName, request.Attributes, CancellationToken.None).ConfigureAwait(false));

    private async Task<EmptyResponse> DeleteQueueAsync(DeleteQueueRequest request)
    {
        await Engine.DeleteQueueAsync(request.QueueName, CancellationToken.None).ConfigureAwait(false);
        return EmptyResponse.Instance;
    }

    private async Task<EmptyResponse> SetQueueAttributesAsync(SetQueueAttributesRequest request)
    {
        await Engine.SetQueueAttributesAsync(request.QueueName, request.Attributes, CancellationToken.None).ConfigureAwait(false);
        return EmptyResponse.Instance;
    }

    private async Task<EmptyResponse> PurgeQueueAsync(PurgeQueueRequest request)
    {
        await Engine.PurgeQueueAsync(request.QueueName, CancellationToken.None).ConfigureAwait(false);
        return EmptyResponse.Instance;
    }
}
