using System.Text;
using LogQueue.Protocol.Operations;

namespace LogQueue.Server.Tests.Infrastructure;

/// <summary>Typed shorthands for the calls most tests make.</summary>
public static class ProtocolCalls
{
    public static async Task<string> CreateQueueAsync(this RawProtocolConnection connection, string name, IReadOnlyDictionary<string, string>? attributes = null) =>
        (await connection.CallAsync<CreateQueueRequest, CreateQueueResponse>(new CreateQueueRequest(name, attributes))).QueueName;

    public static Task<SendMessageResponse> SendAsync(this RawProtocolConnection connection, string queue, string body) =>
        connection.CallAsync<SendMessageRequest, SendMessageResponse>(new SendMessageRequest(queue, new OutgoingMessage(Encoding.UTF8.GetBytes(body))));

    public static async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(
        this RawProtocolConnection connection, string queue, int max = 10, TimeSpan? wait = null, TimeSpan? visibility = null) =>
        (await connection.CallAsync<ReceiveMessageRequest, ReceiveMessageResponse>(
            new ReceiveMessageRequest(queue, max, visibility, wait ?? TimeSpan.Zero))).Messages;

    public static Task PingAsync(this RawProtocolConnection connection) =>
        connection.CallAsync<PingRequest, EmptyResponse>(PingRequest.Instance);

    /// <summary>Polls an asynchronous condition every 20 ms until it holds (true) or the timeout passes (false).</summary>
    public static async Task<bool> UntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }

    public static string BodyText(this ReceivedMessage message) => Encoding.UTF8.GetString(message.Body.Span);
}
