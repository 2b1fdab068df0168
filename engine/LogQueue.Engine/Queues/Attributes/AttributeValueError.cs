namespace LogQueue.Engine.Queues;

/// <summary>The errors attribute and name checks raise, worded alike.</summary>
internal static class AttributeValueError
{
    /// <summary>Policies can be a few hundred characters; show enough of one to find the mistake.</summary>
    private const int MaxQuotedCharacters = 400;

    /// <summary>An <see cref="ErrorCode.InvalidAttributeValue"/> naming the attribute, the value and the rule.</summary>
    public static LogQueueException Create(string attribute, string? value, string rule) =>
        new(ErrorCode.InvalidAttributeValue, $"Invalid value for the attribute {attribute}: {Quote(value)}. {rule}.");

    /// <summary>A value quoted for an error message, cut short when long.</summary>
    public static string Quote(string? value) => value is null
        ? "(none)"
        : value.Length <= MaxQuotedCharacters ? $"'{value}'" : $"'{value[..MaxQuotedCharacters]}...' ({value.Length} characters)";
}
