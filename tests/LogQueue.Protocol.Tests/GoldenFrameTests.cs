namespace LogQueue.Protocol.Tests;

/// <summary>
/// Freezes the bytes of every frame type: a change to the wire format fails here before it reaches a client in
/// another language. After a deliberate change (a new protocol version), regenerate with
/// <c>LOGQUEUE_UPDATE_GOLDEN=1 dotnet test tests/LogQueue.Protocol.Tests</c> and review the diff of GoldenFrames.txt.
/// </summary>
public sealed class GoldenFrameTests
{
    private static readonly string GoldenPath = Path.Combine(AppContext.BaseDirectory, "GoldenFrames.txt");

    private static readonly string SourceGoldenPath = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "GoldenFrames.txt"));

    [Theory]
    [MemberData(nameof(FrameSamples.Names), MemberType = typeof(FrameSamples))]
    public void A_frame_encodes_to_its_frozen_bytes(string name)
    {
        Dictionary<string, string> golden = ReadGolden();

        Assert.True(golden.TryGetValue(name, out string? expected), $"GoldenFrames.txt has no frame '{name}'.");
        Assert.Equal(expected, Convert.ToHexStringLower(FrameSamples.Get(name).Encode()));
    }

    [Fact]
    public void The_golden_file_holds_exactly_the_sample_frames()
    {
        if (Environment.GetEnvironmentVariable("LOGQUEUE_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllLines(SourceGoldenPath, FrameSamples.All.Select(s => $"{s.Name} {Convert.ToHexStringLower(s.Encode())}"));
        }

        Assert.Equal(FrameSamples.All.Select(s => s.Name).Order(StringComparer.Ordinal), ReadGolden().Keys.Order(StringComparer.Ordinal));
    }

    private static Dictionary<string, string> ReadGolden() =>
        File.ReadLines(GoldenPath)
            .Where(line => line.Length > 0)
            .Select(line => line.Split(' ', 2))
            .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);
}
