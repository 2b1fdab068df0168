using System.Globalization;
using LogQueue.Bench.Load.Messages;

namespace LogQueue.Bench.Load.Options;

/// <summary>
/// The body sizes a run sends: one size (<c>128</c>, <c>1KiB</c>) or a range (<c>100-4096</c>), each message's
/// size drawn uniformly from it.
/// </summary>
/// <param name="Min">The smallest body, in bytes.</param>
/// <param name="Max">The largest body, in bytes.</param>
public readonly record struct MessageSizeRange(int Min, int Max)
{
    /// <summary>The largest body the generator sends (the engine's own upper limit for a message).</summary>
    public const int Largest = 1 << 20;

    /// <summary>True when every message has the same size.</summary>
    public bool IsFixed => Min == Max;

    /// <summary>The mean body size.</summary>
    public double Mean => (Min + (double)Max) / 2;

    /// <summary>Parses <c>N</c> or <c>MIN-MAX</c>, each a byte count with an optional K/KiB/M/MiB suffix.</summary>
    public static MessageSizeRange Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length > 2)
        {
            throw new FormatException($"A size is N or MIN-MAX (bytes, K/KiB/M/MiB allowed); '{text}' is neither.");
        }

        int min = ParseBytes(parts[0]);
        int max = parts.Length == 2 ? ParseBytes(parts[1]) : min;
        if (max < min)
        {
            throw new FormatException($"In a size range MIN-MAX, MIN may not exceed MAX; '{text}' has {min} > {max}.");
        }

        if (min < LoadMessageBody.HeaderSize || max > Largest)
        {
            throw new FormatException(
                $"Sizes run from {LoadMessageBody.HeaderSize} bytes (the generator's header) to {Largest} (1 MiB); '{text}' is outside.");
        }

        return new MessageSizeRange(min, max);
    }

    /// <summary>The size of the next message.</summary>
    public int Next(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return IsFixed ? Min : random.Next(Min, Max + 1);
    }

    /// <inheritdoc />
    public override string ToString() =>
        IsFixed ? Min.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{Min}-{Max}");

    private static int ParseBytes(string text)
    {
        (string digits, long unit) = text switch
        {
            _ when text.EndsWith("KiB", StringComparison.OrdinalIgnoreCase) => (text[..^3], 1024L),
            _ when text.EndsWith("MiB", StringComparison.OrdinalIgnoreCase) => (text[..^3], 1024L * 1024),
            _ when text.EndsWith('K') || text.EndsWith('k') => (text[..^1], 1024L),
            _ when text.EndsWith('M') || text.EndsWith('m') => (text[..^1], 1024L * 1024),
            _ when text.EndsWith('B') || text.EndsWith('b') => (text[..^1], 1L),
            _ => (text, 1L),
        };
        if (!long.TryParse(digits.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long count) || count > int.MaxValue / unit)
        {
            throw new FormatException($"'{text}' is not a byte count (digits with an optional K, KiB, M or MiB).");
        }

        return (int)(count * unit);
    }
}
