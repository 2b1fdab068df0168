using System.CommandLine.Parsing;
using LogQueue.Protocol;

namespace LogQueue.Cli.Parsing;

/// <summary>
/// Reads <c>--attribute NAME=VALUE</c> for message attributes. The value is a String unless it starts with a type:
/// <c>NAME=Number:12</c>, <c>NAME=Binary:aGVsbG8=</c> (base64), <c>NAME=String:text</c>, and custom types such as
/// <c>NAME=Number.int:12</c>. A String value that itself starts with <c>Number:</c> is written <c>NAME=String:Number:...</c>.
/// </summary>
internal static class MessageAttributeSyntax
{
    /// <summary>The help text for the option, shared by <c>send</c>'s help and the README.</summary>
    public const string Help =
        "A message attribute NAME=VALUE (repeatable). VALUE is a String unless prefixed with a type: " +
        "NAME=Number:12, NAME=Binary:<base64>, NAME=String:text; custom types as Number.int:12.";

    /// <summary>Parses every token of the option into one attribute set; reports the first bad token on the result.</summary>
    public static IReadOnlyDictionary<string, MessageAttribute> ParseAll(ArgumentResult result)
    {
        var attributes = new Dictionary<string, MessageAttribute>(StringComparer.Ordinal);
        foreach (Token token in result.Tokens)
        {
            if (!TryParse(token.Value, out string name, out MessageAttribute? attribute, out string? error))
            {
                result.AddError(error);
                return attributes;
            }

            if (!attributes.TryAdd(name, attribute))
            {
                result.AddError($"The message attribute '{name}' is given twice.");
                return attributes;
            }
        }

        return attributes;
    }

    /// <summary>Parses one <c>NAME=[TYPE:]VALUE</c>.</summary>
    public static bool TryParse(string text, out string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out MessageAttribute? attribute, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        name = string.Empty;
        attribute = null;
        int equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            error = $"'{text}' is not a message attribute; write NAME=VALUE, NAME=Number:12 or NAME=Binary:<base64>.";
            return false;
        }

        name = text[..equals];
        string value = text[(equals + 1)..];
        int colon = value.IndexOf(':', StringComparison.Ordinal);
        string? dataType = colon > 0 ? value[..colon] : null;
        if (dataType is null || !IsDataType(dataType))
        {
            attribute = MessageAttribute.FromString(value);
            error = null;
            return true;
        }

        string typedValue = value[(colon + 1)..];
        if (!MessageAttribute.IsBinaryType(dataType))
        {
            attribute = new MessageAttribute(dataType, typedValue);
            error = null;
            return true;
        }

        byte[] bytes = new byte[(typedValue.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(typedValue, bytes, out int written))
        {
            error = $"The message attribute '{name}' is Binary, but '{typedValue}' is not base64.";
            return false;
        }

        attribute = new MessageAttribute(dataType, null, bytes.AsMemory(0, written));
        error = null;
        return true;
    }

    private static bool IsDataType(string candidate)
    {
        foreach (string baseType in (ReadOnlySpan<string>)["String", "Number", "Binary"])
        {
            if (candidate.StartsWith(baseType, StringComparison.Ordinal)
                && (candidate.Length == baseType.Length || (candidate[baseType.Length] == '.' && candidate.Length > baseType.Length + 1)))
            {
                return true;
            }
        }

        return false;
    }
}
