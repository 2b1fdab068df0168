using System.CommandLine.Parsing;
using System.Globalization;

namespace LogQueue.Cli.Parsing;

/// <summary>Reads a duration given in seconds (<c>30</c>, <c>0.5</c>), invariant culture, never negative.</summary>
internal static class SecondsSyntax
{
    /// <summary>The longest duration accepted; every LogQueue limit (12 h visibility) is far below it.</summary>
    private static readonly double MaxSeconds = TimeSpan.FromDays(1).TotalSeconds;

    /// <summary>Parses the option's single token, or reports why it is not a number of seconds.</summary>
    public static TimeSpan? Parse(ArgumentResult result)
    {
        if (result.Tokens.Count == 0)
        {
            return null;
        }

        string text = result.Tokens[0].Value;
        if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double seconds) || seconds > MaxSeconds)
        {
            result.AddError($"'{text}' is not a number of seconds (0 to {MaxSeconds.ToString(CultureInfo.InvariantCulture)}).");
            return null;
        }

        return TimeSpan.FromSeconds(seconds);
    }
}
