using FsCheck;
using FsCheck.Fluent;
using LogQueue.Engine.Queues;

namespace LogQueue.Engine.Tests.Queues.Attributes;

/// <summary>FsCheck generators of valid message attribute sets and engine attributes.</summary>
internal static class MessageAttributeGenerators
{
    // Pieces of text covering 1-, 2-, 3- and 4-byte UTF-8 and the edges of the allowed ranges.
    private static readonly string[] TextPieces = ["a", "Z", "0", " ", "\t", "\n", "\r", "~", "\u007f", "\u00e9", "\u4e16", "\uD7FF", "\uE000", "\uFFFD", "\U0001F600", "\U0010FFFF"];

    private static readonly char[] NameCharacters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-".ToCharArray();

    public static Gen<string> Text(int maxPieces) =>
        from count in Gen.Choose(1, maxPieces)
        from pieces in Gen.ArrayOf(Gen.Elements(TextPieces), count)
        select string.Concat(pieces);

    public static Gen<string> Name =>
        from segmentCount in Gen.Choose(1, 3)
        from segments in Gen.ArrayOf(
            from length in Gen.Choose(1, 12)
            from chars in Gen.ArrayOf(Gen.Elements(NameCharacters), length)
            select new string(chars),
            segmentCount)
        let name = string.Join('.', segments)
        where !name.StartsWith("AWS.", StringComparison.OrdinalIgnoreCase) && !name.StartsWith("Amazon.", StringComparison.OrdinalIgnoreCase)
        select name;

    public static Gen<string?> CustomType =>
        Gen.OneOf(Gen.Constant<string?>(null), Gen.Constant<string?>(null), Text(6).Select(t => (string?)t));

    public static Gen<string> Number =>
        from sign in Gen.Elements("", "-", "+")
        from integer in Gen.Choose(0, int.MaxValue)
        from fraction in Gen.Choose(0, 99999)
        from exponent in Gen.Choose(-100, 100)
        from form in Gen.Choose(0, 2)
        select form switch
        {
            0 => $"{sign}{integer}",
            1 => $"{sign}{integer}.{fraction}",
            _ => $"{sign}{integer}.{fraction}e{exponent}",
        };

    public static Gen<MessageAttributeValue> Value =>
        from kind in Gen.Choose(0, 2)
        from custom in CustomType
        from text in Text(40)
        from number in Number
        from length in Gen.Choose(1, 64)
        from bytes in Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), length)
        select kind switch
        {
            0 => MessageAttributeValue.FromString(text, custom),
            1 => MessageAttributeValue.FromNumber(number, custom),
            _ => MessageAttributeValue.FromBinary(bytes, custom),
        };

    public static Gen<MessageAttributes> Attributes =>
        from count in Gen.Choose(0, MessageAttributes.MaxCount)
        from names in Gen.ArrayOf(Name, count)
        from values in Gen.ArrayOf(Value, count)
        select MessageAttributes.Create(
            names.Zip(values).DistinctBy(p => p.First, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.First, p.Second)));

    public static Gen<MessageEngineAttributes> Engine =>
        from hasSource in ArbMap.Default.GeneratorFor<bool>()
        from source in Name.Where(n => !n.Contains('.', StringComparison.Ordinal) && n.Length <= 80)
        from hasId in ArbMap.Default.GeneratorFor<bool>()
        from id in Text(20)
        from sent in ArbMap.Default.GeneratorFor<long?>()
        select new MessageEngineAttributes(hasSource ? QueueName.Parse(source) : null, hasId ? id : null, sent);
}
