using System.CommandLine;
using LogQueue.Cli.Output.Json;
using LogQueue.Cli.Parsing;

namespace LogQueue.Cli.Commands;

/// <summary>Commands on queues as a whole: create, delete, list, attributes, purge.</summary>
internal static class QueueCommands
{
    public static IEnumerable<Command> Create(CommandRunner runner) =>
    [
        CreateQueue(runner),
        DeleteQueue(runner),
        ListQueues(runner),
        GetAttributes(runner),
        SetAttributes(runner),
        Purge(runner),
    ];

    private static Argument<string> QueueName() => new("queue") { Description = "The queue's name." };

    private static Command CreateQueue(CommandRunner runner)
    {
        Argument<string> name = QueueName();
        Option<IReadOnlyDictionary<string, string>> attributes = new("--attribute", "-a")
        {
            Description = "A queue attribute NAME=VALUE (repeatable), e.g. VisibilityTimeout=60 or FifoQueue=true.",
            HelpName = "name=value",
            Arity = ArgumentArity.ZeroOrMore,
            CustomParser = QueueAttributeSyntax.ParseAll,
        };
        var command = new Command("create-queue", "Create a queue (succeeds when it exists with the same attributes); prints its name.") { name, attributes };
        command.SetAction((parseResult, cancellationToken) => runner.RunAsync(parseResult, async (client, output, token) =>
        {
            IReadOnlyDictionary<string, string>? given = parseResult.GetValue(attributes);
            string created = await client.CreateQueueAsync(parseResult.GetRequiredValue(name), given is { Count: > 0 } ? given : null, token);
            output.Result(new QueueJson(created), CliJsonContext.Default.QueueJson, created);
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Command DeleteQueue(CommandRunner runner)
    {
        Argument<string> name = QueueName();
        var command = new Command("delete-queue", "Delete a queue and every message in it.") { name };
        command.SetAction((parseResult, cancellationToken) => runner.RunAsync(parseResult, async (client, _, token) =>
        {
            await client.DeleteQueueAsync(parseResult.GetRequiredValue(name), token);
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Command ListQueues(CommandRunner runner)
    {
        Option<string?> prefix = new("--prefix") { Description = "Only queues whose names start with this.", HelpName = "prefix" };
        var command = new Command("list-queues", "List queue names, one per line.") { prefix };
        command.SetAction((parseResult, cancellationToken) => runner.RunAsync(parseResult, async (client, output, token) =>
        {
            foreach (string queue in await client.ListQueuesAsync(parseResult.GetValue(prefix), token))
            {
                output.Result(new QueueJson(queue), CliJsonContext.Default.QueueJson, queue);
            }

            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Command GetAttributes(CommandRunner runner)
    {
        Argument<string> name = QueueName();
        Option<string[]> names = new("--name", "-n")
        {
            Description = "An attribute to read (repeatable); all of them when absent.",
            HelpName = "attribute",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("get-attributes", "Print a queue's attributes as NAME=VALUE lines (--json: one object).") { name, names };
        command.SetAction((parseResult, cancellationToken) => runner.RunAsync(parseResult, async (client, output, token) =>
        {
            string[] wanted = parseResult.GetValue(names) ?? [];
            IReadOnlyDictionary<string, string> attributes = await client.GetQueueAttributesAsync(parseResult.GetRequiredValue(name), wanted.Length == 0 ? null : wanted, token);
            var sorted = new SortedDictionary<string, string>(attributes.ToDictionary(), StringComparer.Ordinal);
            if (output.Json)
            {
                output.Result(sorted, CliJsonContext.Default.SortedDictionaryStringString, string.Empty);
            }
            else
            {
                foreach ((string key, string value) in sorted)
                {
                    output.Text(key + "=" + value);
                }
            }

            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Command SetAttributes(CommandRunner runner)
    {
        Argument<string> name = QueueName();
        Argument<IReadOnlyDictionary<string, string>> attributes = new("attribute")
        {
            Description = "NAME=VALUE pairs to set, e.g. VisibilityTimeout=60 DelaySeconds=5.",
            Arity = ArgumentArity.OneOrMore,
            CustomParser = QueueAttributeSyntax.ParseAll,
        };
        var command = new Command("set-attributes", "Change a queue's attributes.") { name, attributes };
        command.SetAction((parseResult, cancellationToken) => runner.RunAsync(parseResult, async (client, _, token) =>
        {
            await client.SetQueueAttributesAsync(parseResult.GetRequiredValue(name), parseResult.GetRequiredValue(attributes), token);
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Command Purge(CommandRunner runner)
    {
        Argument<string> name = QueueName();
        var command = new Command("purge", "Delete every message in a queue (at most once per 60 seconds).") { name };
        command.SetAction((parseResult, cancellationToken) => runner.RunAsync(parseResult, async (client, _, token) =>
        {
            await client.PurgeQueueAsync(parseResult.GetRequiredValue(name), token);
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
