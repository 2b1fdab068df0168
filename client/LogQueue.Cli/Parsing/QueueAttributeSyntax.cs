using System.CommandLine.Parsing;

namespace LogQueue.Cli.Parsing;

/// <summary>Reads queue attributes written <c>NAME=VALUE</c> (the value may itself hold <c>=</c>, as a JSON policy does).</summary>
internal static class QueueAttributeSyntax
{
    /// <summary>Parses every token into one attribute map; reports the first bad token on the result.</summary>
    public static IReadOnlyDictionary<string, string> ParseAll(ArgumentResult result)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Token token in result.Tokens)
        {
            int equals = token.Value.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                result.AddError($"'{token.Value}' is not a queue attribute; write NAME=VALUE, e.g. VisibilityTimeout=60.");
                return attributes;
            }

            string name = token.Value[..equals];
            if (!attributes.TryAdd(name, token.Value[(equals + 1)..]))
            {
                result.AddError($"The queue attribute '{name}' is given twice.");
                return attributes;
            }
        }

        return attributes;
    }
}
