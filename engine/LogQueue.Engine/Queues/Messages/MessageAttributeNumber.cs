namespace LogQueue.Engine.Queues;

/// <summary>
/// The rule for the value of a <c>Number</c> message attribute, as SQS documents it: a decimal number
/// (optional sign, digits with an optional decimal point, optional exponent: <c>-12.5</c>, <c>1e3</c>) with
/// at most 38 significant digits, and a magnitude of 0 or from 10^-128 to 10^126.
/// </summary>
/// <remarks>
/// Worked example, <c>-0.00120e5</c>: the digits are <c>000120</c> with one before the point; the first
/// significant digit is the 1 (index 3), the last the 2 (index 4): 2 significant digits. The 1 sits at
/// decimal position (1 - 1 - 3) + 5 = 2, so the value is -1.2 x 10^2 = -120: within range.
/// </remarks>
internal static class MessageAttributeNumber
{
    public const int MaxSignificantDigits = 38;
    public const int MaxExponent = 126;
    public const int MinExponent = -128;

    /// <summary>Far beyond any exponent that could be in range, yet safe from overflow when added to a string length.</summary>
    private const long ExponentCap = 1L << 40;

    /// <summary>Null when <paramref name="value"/> is a valid Number, else why not.</summary>
    public static string? Check(ReadOnlySpan<char> value)
    {
        int i = 0;
        if (i < value.Length && value[i] is '+' or '-')
        {
            i++;
        }

        int integerStart = i;
        while (i < value.Length && char.IsAsciiDigit(value[i]))
        {
            i++;
        }

        int integerDigits = i - integerStart;
        int fractionStart = i, fractionDigits = 0;
        if (i < value.Length && value[i] == '.')
        {
            fractionStart = ++i;
            while (i < value.Length && char.IsAsciiDigit(value[i]))
            {
                i++;
            }

            fractionDigits = i - fractionStart;
        }

        if (integerDigits + fractionDigits == 0)
        {
            return "it is not a number";
        }

        long exponent = 0;
        if (i < value.Length && value[i] is 'e' or 'E')
        {
            i++;
            bool negative = i < value.Length && value[i] == '-';
            if (i < value.Length && value[i] is '+' or '-')
            {
                i++;
            }

            int exponentStart = i;
            while (i < value.Length && char.IsAsciiDigit(value[i]))
            {
                exponent = Math.Min((exponent * 10) + (value[i] - '0'), ExponentCap);
                i++;
            }

            if (i == exponentStart)
            {
                return "it is not a number (the exponent has no digits)";
            }

            exponent = negative ? -exponent : exponent;
        }

        if (i != value.Length)
        {
            return "it is not a number";
        }

        // Index the mantissa digits as one run: the integer digits, then the fraction digits.
        int first = -1, last = -1;
        for (int d = 0; d < integerDigits + fractionDigits; d++)
        {
            char c = d < integerDigits ? value[integerStart + d] : value[fractionStart + d - integerDigits];
            if (c != '0')
            {
                first = first < 0 ? d : first;
                last = d;
            }
        }

        if (first < 0)
        {
            return null; // Zero, whatever its exponent.
        }

        int significant = last - first + 1;
        if (significant > MaxSignificantDigits)
        {
            return $"it has {significant} significant digits; the most is {MaxSignificantDigits}";
        }

        long position = integerDigits - 1 - first + exponent;
        char leading = first < integerDigits ? value[integerStart + first] : value[fractionStart + first - integerDigits];
        bool tooLarge = position > MaxExponent || (position == MaxExponent && (significant > 1 || leading != '1'));
        return tooLarge || position < MinExponent
            ? $"its magnitude must be 0 or from 10^{MinExponent} to 10^{MaxExponent}"
            : null;
    }
}
