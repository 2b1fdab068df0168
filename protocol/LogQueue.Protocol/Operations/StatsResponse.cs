using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol.Operations;

/// <summary>
/// The server's statistics: <c>string server version, i64 uptime ms, i32 open connections, i64 connections
/// accepted, i64 requests served, string durability, u16 count, QueueStats...</c>.
/// </summary>
/// <param name="ServerVersion">The server's software version.</param>
/// <param name="UptimeMs">Milliseconds since the server started.</param>
/// <param name="OpenConnections">Connections open now.</param>
/// <param name="ConnectionsAccepted">Connections accepted since start.</param>
/// <param name="RequestsServed">Requests answered since start.</param>
/// <param name="Durability">always, interval or none.</param>
/// <param name="Queues">Every queue's counts, by name.</param>
public sealed record StatsResponse(
    string ServerVersion,
    long UptimeMs,
    int OpenConnections,
    long ConnectionsAccepted,
    long RequestsServed,
    string Durability,
    IReadOnlyList<QueueStats> Queues) : IPayload<StatsResponse>
{
    /// <inheritdoc />
    public void Write(ref PayloadWriter writer)
    {
        writer.WriteString(ServerVersion);
        writer.WriteInt64(UptimeMs);
        writer.WriteInt32(OpenConnections);
        writer.WriteInt64(ConnectionsAccepted);
        writer.WriteInt64(RequestsServed);
        writer.WriteString(Durability);
        writer.WriteCount(Queues.Count);
        for (int i = 0; i < Queues.Count; i++)
        {
            Queues[i].Write(ref writer);
        }
    }

    /// <inheritdoc />
    public static StatsResponse Read(ref PayloadReader reader)
    {
        string serverVersion = reader.ReadString();
        long uptime = reader.ReadInt64();
        int open = reader.ReadInt32();
        long accepted = reader.ReadInt64();
        long served = reader.ReadInt64();
        string durability = reader.ReadString();
        var queues = new QueueStats[reader.ReadCount(minimumItemSize: 26)];
        for (int i = 0; i < queues.Length; i++)
        {
            queues[i] = QueueStats.Read(ref reader);
        }

        return new StatsResponse(serverVersion, uptime, open, accepted, served, durability, queues);
    }
}
