using System.Globalization;
using System.Text.Json;

namespace LogQueue.Engine.Queues;

/// <summary>
/// Reading the small JSON policies SQS keeps in string attributes: one object, known keys once each,
/// anything else an <see cref="ErrorCode.InvalidAttributeValue"/> that says what is wrong.
/// </summary>
internal readonly struct PolicyJson
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 4 };

    private readonly string _attribute;
    private readonly string _value;

    public PolicyJson(string attribute, string value)
    {
        _attribute = attribute;
        _value = value;
    }

    /// <summary>Parses the value; it must be a JSON object.</summary>
    public JsonDocument ParseObject()
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(_value, Options);
        }
        catch (JsonException ex)
        {
            throw Fail($"It is not valid JSON ({ex.Message})");
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw Fail("It must be a JSON object");
        }

        return document;
    }

    /// <summary>Fails when a key comes a second time.</summary>
    public void EnsureFirst(bool seen, string key)
    {
        if (seen)
        {
            throw Fail($"The key \"{key}\" appears more than once");
        }
    }

    /// <summary>Fails on a key the policy does not have.</summary>
    public LogQueueException UnknownKey(string key, string knownKeys) =>
        Fail($"The key \"{key}\" is not part of this policy; its keys are {knownKeys}");

    /// <summary>Fails when a required key is missing.</summary>
    public LogQueueException MissingKey(string key) => Fail($"The key \"{key}\" is required");

    /// <summary>A string value.</summary>
    public string GetString(JsonProperty property)
    {
        if (property.Value.ValueKind != JsonValueKind.String)
        {
            throw Fail($"\"{property.Name}\" must be a string");
        }

        return property.Value.GetString()!;
    }

    /// <summary>An integer given as a JSON number or a string of digits (SQS documents both), in a range.</summary>
    public int GetInt32(JsonProperty property, int min, int max)
    {
        JsonElement value = property.Value;
        bool parsed = value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetInt64(out long number) && number >= min && number <= max,
            JsonValueKind.String => long.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number)
                && number >= min && number <= max,
            _ => false,
        };
        if (!parsed)
        {
            throw Fail($"\"{property.Name}\" must be an integer from {min} to {max}; it is {value.GetRawText()}");
        }

        return value.ValueKind == JsonValueKind.Number
            ? (int)value.GetInt64()
            : int.Parse(value.GetString()!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
    }

    /// <summary>An <see cref="ErrorCode.InvalidAttributeValue"/> for this attribute and value.</summary>
    public LogQueueException Fail(string reason) => AttributeValueError.Create(_attribute, _value, reason);
}
