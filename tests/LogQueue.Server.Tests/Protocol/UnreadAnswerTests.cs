using LogQueue.Protocol;
using LogQueue.Protocol.Operations;
using LogQueue.Server.Tests.Infrastructure;

namespace LogQueue.Server.Tests.Protocol;

/// <summary>
/// A client that pipelines receives and does not read the answers cannot make the server hold every message
/// for it: past the connection's unread-answer limit (4 × MaxFrameLength, 64 MiB by default) a receive hands its
/// messages back to the queue and answers TooManyPendingRequests. No message is lost or left stuck in flight.
/// </summary>
[Trait("Category", "Slow")]
public sealed class UnreadAnswerTests(ProtocolServerFixture fixture) : IClassFixture<ProtocolServerFixture>
{
    private const int Messages = 100;
    private const int Receives = 20;

    [Fact]
    public async Task Receives_past_the_unread_answer_limit_hand_their_messages_back_and_nothing_is_lost()
    {
        await using RawProtocolConnection reader = await fixture.Server.OpenAsync();
        await using RawProtocolConnection observer = await fixture.Server.OpenAsync();
        await observer.CreateQueueAsync("unread");
        byte[] body = new byte[(1 << 20) - 64];
        Random.Shared.NextBytes(body);
        for (int i = 0; i < Messages; i++)
        {
            await observer.CallAsync<SendMessageRequest, SendMessageResponse>(new SendMessageRequest("unread", new OutgoingMessage(body)));
        }

        // 20 receives of 10 one-MiB messages: 200 MiB of answers asked for, 100 MiB available; none read yet.
        long servedBefore = (await observer.CallAsync<StatsRequest, StatsResponse>(StatsRequest.Instance)).RequestsServed;
        byte[] pipelined = [.. Enumerable.Range(1, Receives).SelectMany(id =>
            RawProtocolConnection.Frame<ReceiveMessageRequest, ReceiveMessageResponse>((uint)id, new ReceiveMessageRequest("unread", 10, TimeSpan.FromMinutes(10), TimeSpan.Zero)))];
        await reader.SendAsync(pipelined);
        Assert.True(await ProtocolCalls.UntilAsync(async () =>
            (await observer.CallAsync<StatsRequest, StatsResponse>(StatsRequest.Instance)).RequestsServed - servedBefore >= Receives + 1));

        int received = 0;
        int refused = 0;
        for (int i = 0; i < Receives; i++)
        {
            ResponseFrame answer = (await reader.ReadFrameAsync())!;
            if (answer.Header.IsError)
            {
                Assert.Equal(ErrorCode.TooManyPendingRequests, answer.Error.Code);
                refused++;
            }
            else
            {
                received += answer.Decode<ReceiveMessageResponse>().Messages.Count;
            }
        }

        Assert.True(refused > 0, $"All {Receives} receives were answered ({received} messages): the server held every unread answer.");
        QueueAttributesResponse counts = await observer.CallAsync<GetQueueAttributesRequest, QueueAttributesResponse>(new GetQueueAttributesRequest("unread", []));
        Assert.Equal(received.ToString(System.Globalization.CultureInfo.InvariantCulture), counts.Attributes["ApproximateNumberOfMessagesNotVisible"]);
        Assert.Equal((Messages - received).ToString(System.Globalization.CultureInfo.InvariantCulture), counts.Attributes["ApproximateNumberOfMessages"]);
    }
}
