using LogQueue.Protocol.Codec;

namespace LogQueue.Protocol.Operations;

/// <summary>One entry's outcome in a delete or change-visibility batch: <c>u16 code</c>, then <c>string message</c> when not 0.</summary>
/// <param name="Code">0 on success, else the error code.</param>
/// <param name="ErrorMessage">The error message of a failed entry.</param>
public readonly record struct EntryResult(ErrorCode Code, string? ErrorMessage)
{
    /// <summary>A successful entry.</summary>
    public static EntryResult Success => default;

    /// <summary>True when the entry succeeded.</summary>
    public bool Succeeded => Code == ErrorCode.None;

    /// <summary>Writes the entry.</summary>
    public void Write(ref PayloadWriter writer)
    {
        writer.WriteUInt16((ushort)Code);
        if (!Succeeded)
        {
            writer.WriteString(ErrorText.Fit(ErrorMessage));
        }
    }

    /// <summary>Reads an entry.</summary>
    public static EntryResult Read(ref PayloadReader reader)
    {
        var code = (ErrorCode)reader.ReadUInt16();
        return code == ErrorCode.None ? Success : new EntryResult(code, reader.ReadString());
    }
}
