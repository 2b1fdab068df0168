using System.CommandLine;
using System.Globalization;
using LogQueue.Cli.Output.Json;
using LogQueue.Protocol.Operations;

namespace LogQueue.Cli.Commands;

/// <summary>Commands about the server itself: ping and statistics.</summary>
internal static class ServerCommands
{
    public static IEnumerable<Command> Create(CommandRunner runner) =>
    [
        Ping(runner),
        Stats(runner),
    ];

    private static Command Ping(CommandRunner runner)
    {
        var command = new Command("ping", "A round trip to the server; prints how long it took.");
        command.SetAction((parseResult, cancellationToken) => runner.RunAsync(parseResult, async (client, output, token) =>
        {
            TimeSpan roundTrip = await client.PingAsync(token);
            output.Result(new PingJson(roundTrip.TotalMilliseconds), CliJsonContext.Default.PingJson, string.Create(CultureInfo.InvariantCulture, $"pong in {roundTrip.TotalMilliseconds:0.###} ms"));
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Command Stats(CommandRunner runner)
    {
        var command = new Command("stats", "Server statistics, then one line per queue: name, visible, in flight, delayed.");
        command.SetAction((parseResult, cancellationToken) => runner.RunAsync(parseResult, async (client, output, token) =>
        {
            StatsResponse stats = await client.GetStatsAsync(token);
            if (output.Json)
            {
                var json = new StatsJson(
                    stats.ServerVersion,
                    stats.UptimeMs,
                    stats.OpenConnections,
                    stats.ConnectionsAccepted,
                    stats.RequestsServed,
                    stats.Durability,
                    [.. stats.Queues.Select(q => new QueueStatsJson(q.QueueName, q.Visible, q.InFlight, q.Delayed))]);
                output.Result(json, CliJsonContext.Default.StatsJson, string.Empty);
                return ExitCodes.Success;
            }

            output.Text(string.Create(
                CultureInfo.InvariantCulture,
                $"server {stats.ServerVersion}, up {TimeSpan.FromMilliseconds(stats.UptimeMs):d\\.hh\\:mm\\:ss}, durability {stats.Durability}, {stats.OpenConnections} connections open ({stats.ConnectionsAccepted} accepted), {stats.RequestsServed} requests served"));
            foreach (QueueStats queue in stats.Queues)
            {
                output.Text(string.Create(CultureInfo.InvariantCulture, $"{queue.QueueName}\tvisible={queue.Visible}\tinFlight={queue.InFlight}\tdelayed={queue.Delayed}"));
            }

            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
